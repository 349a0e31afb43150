export * from './faults';
export * from './http';
export * from './callbacks';
export * from './page';
export * from './callback-receiver';
export * from './scripted-server';
