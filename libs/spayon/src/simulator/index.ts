export * from './spayon-simulator';
export type { SimulatorProduct } from './create-session-validation';
export type { SimulatorSession } from './simulator-session';
export * from './sandbox';
