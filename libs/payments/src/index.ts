export * from './clock';
export * from './money';
export * from './session-status';
export * from './errors';
export * from './provider';
export * from './provider-registry';
export * from './amount-check';
export * from './provider-failure';
