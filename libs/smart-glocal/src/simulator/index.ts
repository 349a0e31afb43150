export * from './simulator';
export { TEST_CARDS, DECLINES, THREE_DS_FAILED } from './cards';
export { WIDGET_PAY_PATH } from './widget';
export { Account, DEFAULT_ACCOUNT, NOTIFICATION_RETRY_INTERVALS_MS, scaledNotificationPolicy } from './account';
export type { AccountKnobs } from './account';
export { ACTION_TIMEOUT, CANCELLED_BY_PARTNER, CONFIRMATION_TIMEOUT, HOLD_DAYS, SESSION_ERROR } from './payment-flow';
export type { SessionRequest } from './payment-flow';
