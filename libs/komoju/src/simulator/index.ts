export * from './komoju-simulator';
export * from './webhook-recorder';
export { KomojuValidationError, validateCreateSessionBody } from './create-session-validation';
export * from './sandbox';
