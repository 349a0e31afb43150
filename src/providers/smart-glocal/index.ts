export * from './smart-glocal.provider';
export * from './pay-page';
export * from './mapping';
