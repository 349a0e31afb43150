export * from './types';
export * from './client';
export * from './signature';
export * from './simulator';
