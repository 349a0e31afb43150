import { EntityManager } from '@mikro-orm/core';
import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { SIGNATURE_HEADER, signatureHeader } from '@paymux/webhook-signature';
import { Clock } from '../clock';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { JobContext, JobRegistry, JobResult, ScheduledJob } from '../jobs/job-registry';
import { ClaimedDelivery, DeliveryClaims, DeliverySettlement } from './delivery-claims';
import { DestinationPolicy, ForbiddenDestination } from './destination-policy';
import { Event } from './event.entity';
import { nextAttemptAt } from './retry-schedule';
import { WebhookEndpoint } from './webhook-endpoint.entity';
import { WebhookSender } from './webhook-sender';

/** Deliveries claimed per transaction, and sent at once. */
const CLAIM_BATCH = 50;
const CONCURRENCY = 16;
/** One run stops claiming after this many, so a run stays bounded; the next run continues. */
export const MAX_DELIVERIES_PER_RUN = 1000;

/**
 * `deliver-notifications`: sends due deliveries (new, retried or redelivered), signed, and moves
 * each to delivered, to its next retry, or to failed. Safe in any number of instances at once
 * (see DeliveryClaims).
 */
@Injectable()
export class DeliverNotificationsJob implements ScheduledJob, OnModuleInit {
  readonly name = 'deliver-notifications';
  private readonly logger = new Logger('notifications');

  constructor(
    private readonly registry: JobRegistry,
    private readonly claims: DeliveryClaims,
    private readonly destinations: DestinationPolicy,
    private readonly sender: WebhookSender,
    private readonly em: EntityManager,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
    if (this.config.production && this.config.notifications.signingSecret === null) {
      this.logger.warn('NOTIFICATIONS_SIGNING_SECRET is not set: deliveries to sessions\' callback_url are held (and retried) until it is');
    }
  }

  async run(context: JobContext): Promise<JobResult> {
    const result: JobResult = { examined: 0, changed: 0 };
    // Every claimed delivery may wait for CONCURRENCY-wide rounds of full timeouts before its
    // turn; the lease outlasts that with a margin, so it never lapses under a live instance.
    const leaseMs = Math.ceil(CLAIM_BATCH / CONCURRENCY) * this.config.notifications.timeoutMs + 30_000;
    while (!context.signal.aborted && result.examined < MAX_DELIVERIES_PER_RUN) {
      const batch = await this.claims.claim(Math.min(CLAIM_BATCH, MAX_DELIVERIES_PER_RUN - result.examined), leaseMs);
      if (batch.length === 0) break;
      result.examined += batch.length;
      const [events, endpoints] = await this.loadContext(batch);
      await eachWithConcurrency(batch, CONCURRENCY, async (claimed) => {
        if (context.signal.aborted) return this.claims.release(claimed);
        if (await this.deliver(claimed, events, endpoints)) result.changed += 1;
      });
    }
    return result;
  }

  private async loadContext(batch: ClaimedDelivery[]): Promise<[Map<string, Event>, Map<string, WebhookEndpoint>]> {
    const em = this.em.fork();
    const eventIds = [...new Set(batch.map(({ delivery }) => delivery.eventId))];
    const endpointIds = [...new Set(batch.map(({ delivery }) => delivery.endpointId).filter((id): id is string => id !== null))];
    const events = await em.find(Event, { id: { $in: eventIds } });
    const endpoints = endpointIds.length > 0 ? await em.find(WebhookEndpoint, { id: { $in: endpointIds } }) : [];
    return [new Map(events.map((event) => [event.id, event])), new Map(endpoints.map((endpoint) => [endpoint.id, endpoint]))];
  }

  /** One attempt for one claimed delivery; true when this claim settled it (delivered, rescheduled or failed). */
  private async deliver(claimed: ClaimedDelivery, events: Map<string, Event>, endpoints: Map<string, WebhookEndpoint>): Promise<boolean> {
    const { delivery } = claimed;
    const event = events.get(delivery.eventId);
    const endpoint = delivery.endpointId === null ? null : endpoints.get(delivery.endpointId);
    if (!event || endpoint === undefined || endpoint?.deletedAt) {
      // The endpoint was deleted: its pending deliveries are not sent.
      return this.claims.settle(claimed, null, { state: 'failed' });
    }
    const startedAt = this.clock.now();
    const secret = endpoint ? endpoint.secret : this.config.notifications.signingSecret;
    const outcome = secret === null
      ? { statusCode: null, snippet: null, durationMs: 0, error: 'NOTIFICATIONS_SIGNING_SECRET is not set, so callback_url deliveries cannot be signed' }
      : await this.post(delivery.url, Buffer.from(event.payload, 'utf8'), secret);

    const delivered = outcome.statusCode !== null && outcome.statusCode >= 200 && outcome.statusCode < 300;
    let settlement: DeliverySettlement = { state: 'delivered' };
    if (!delivered) {
      const next = nextAttemptAt(delivery.attempts + 1, event.createdAt, this.clock.now());
      settlement = next === null ? { state: 'failed' } : { state: 'pending', nextAttemptAt: next };
    }
    const held = await this.claims.settle(claimed, { ...outcome, startedAt }, settlement);
    if (!delivered) this.logger.debug({ delivery: delivery.id, status: outcome.statusCode, error: outcome.error }, 'delivery attempt failed');
    return held;
  }

  private async post(url: string, body: Buffer, secret: string) {
    let destination;
    try {
      destination = await this.destinations.resolve(url);
    } catch (error) {
      if (!(error instanceof ForbiddenDestination)) throw error;
      return { statusCode: null, snippet: null, durationMs: 0, error: `url ${error.message}` };
    }
    const timestamp = Math.floor(this.clock.now().getTime() / 1000);
    return this.sender.post({
      destination,
      body,
      timeoutMs: this.config.notifications.timeoutMs,
      headers: {
        'content-type': 'application/json',
        'user-agent': 'paymux',
        [SIGNATURE_HEADER.toLowerCase()]: signatureHeader(body, secret, timestamp),
      },
    });
  }
}

async function eachWithConcurrency<T>(items: T[], limit: number, work: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
