export * from './simulator';
export { TEST_CARDS, DECLINES, THREE_DS_FAILED } from './cards';
export { WIDGET_PAY_PATH } from './widget';
