/** Each resource's name as the panel shows it (navigation, titles, the refused-page text). */
export const RESOURCE_LABELS: Readonly<Record<string, string>> = {
  Product: 'Products',
  Customer: 'Customers',
  Session: 'Sessions',
  SessionEvent: 'Session events',
  Refund: 'Refunds',
  InboundWebhook: 'Inbound webhooks',
  JobRun: 'Job runs',
  JobState: 'Job states',
  Event: 'Events',
  Delivery: 'Deliveries',
  DeliveryAttempt: 'Delivery attempts',
  WebhookEndpoint: 'Webhook endpoints',
  ApiKey: 'API keys',
  AdminUser: 'Admin users',
};
