import { AdminSession } from '../admin/admin-session.entity';
import { AdminUser } from '../admin/admin-user.entity';
import { LoginFailure } from '../admin/login-failure.entity';
import { ApiKey } from '../api-keys/api-key.entity';
import { Customer } from '../customers/customer.entity';
import { JobRun } from '../jobs/job-run.entity';
import { JobState } from '../jobs/job-state.entity';
import { Delivery } from '../notifications/delivery.entity';
import { DeliveryAttempt } from '../notifications/delivery-attempt.entity';
import { Event } from '../notifications/event.entity';
import { WebhookEndpoint } from '../notifications/webhook-endpoint.entity';
import { Product } from '../products/product.entity';
import { Refund } from '../refunds/refund.entity';
import { ProviderBreaker } from '../routing/provider-breaker.entity';
import { IdempotencyRecord } from '../sessions/idempotency-record.entity';
import { Session } from '../sessions/session.entity';
import { SessionEvent } from '../sessions/session-event.entity';
import { InboundWebhook } from '../webhooks/inbound-webhook.entity';

/** Every entity, listed once: the ORM config and the admin panel both read this. */
export const ENTITIES = [
  Product,
  Customer,
  Session,
  SessionEvent,
  IdempotencyRecord,
  ApiKey,
  InboundWebhook,
  WebhookEndpoint,
  Event,
  Delivery,
  DeliveryAttempt,
  JobRun,
  JobState,
  AdminUser,
  AdminSession,
  LoginFailure,
  ProviderBreaker,
  Refund,
];
