export * from './types';
export * from './errors';
export * from './signature';
export * from './client';
export * from './notification';
export * from './simulator';
export * from './simulator/sandbox';
