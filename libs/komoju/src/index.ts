export * from './types';
export * from './client';
export * from './refunds';
export * from './signature';
export * from './simulator';
