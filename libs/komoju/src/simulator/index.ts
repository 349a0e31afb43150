export * from './komoju-simulator';
export { KomojuValidationError, validateCreateSessionBody } from './create-session-validation';
export * from './sandbox';
