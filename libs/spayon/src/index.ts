export * from './types';
export * from './errors';
export * from './client';
export * from './signature';
export * from './simulator';
