import { EntityManager } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import { Clock } from '../clock';
import { insertEntities, queryEntities } from '../database/statements';
import { Delivery } from './delivery.entity';
import { Event } from './event.entity';
import { WebhookEndpoint } from './webhook-endpoint.entity';

export const EVENT_TYPES = [
  'session.processing',
  'session.requires_capture',
  'session.captured',
  'session.succeeded',
  'session.failed',
  'session.expired',
  'session.cancelled',
  'session.amount_mismatch',
  'customer.updated',
  'refund.created',
  'refund.succeeded',
  'refund.failed',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export interface EventSubject {
  sessionId?: string | null;
  customerId?: string | null;
  /** The session's own callback_url, which gets every event of that session. */
  callbackUrl?: string | null;
}

/**
 * Transactional outbox: an event and its deliveries are written in the transaction of the change
 * they report, so both commit or neither does. The delivery job sends them later.
 */
@Injectable()
export class Outbox {
  /** Endpoints read once per transaction: a batch of changes fans out without a query per event. */
  private readonly endpointsByTransaction = new WeakMap<EntityManager, Promise<WebhookEndpoint[]>>();

  constructor(private readonly clock: Clock) {}

  /** Writes the event and its deliveries now, in `em`'s transaction (the change's). */
  async record(em: EntityManager, type: EventType, subject: EventSubject, object: unknown): Promise<Event> {
    const [event] = await this.insertMany(em, type, [{ subject, object }]);
    return event;
  }

  /**
   * `record` for a batch of changes in `em`'s transaction (the expiry job's): the same events and
   * deliveries, with one INSERT per table.
   */
  async insertMany(em: EntityManager, type: EventType, items: ReadonlyArray<{ subject: EventSubject; object: unknown }>): Promise<Event[]> {
    if (items.length === 0) return [];
    // Written outside the change's transaction, an event could outlive a change that rolled back.
    if (!em.isInTransaction()) throw new Error('the outbox is written in the transaction of the change it reports');
    const now = this.clock.now();
    const endpoints = await this.endpoints(em);
    const built = items.map((item) => this.build(type, item.subject, item.object, endpoints, now));
    const events = built.map((b) => b.event);
    await insertEntities(em, events);
    await insertEntities(em, built.flatMap((b) => b.deliveries));
    return events;
  }

  /** The event and its deliveries: one per endpoint taking `type`, and one to the session's callback_url. */
  private build(type: EventType, subject: EventSubject, object: unknown, endpoints: WebhookEndpoint[], now: Date): { event: Event; deliveries: Delivery[] } {
    const event = new Event();
    event.type = type;
    event.sessionId = subject.sessionId ?? null;
    event.customerId = subject.customerId ?? null;
    event.createdAt = now;
    event.payload = JSON.stringify({ id: event.id, object: 'event', type, created_at: now.toISOString(), data: { object } });
    const targets = endpoints
      .filter((endpoint) => endpoint.enabledEvents.length === 0 || endpoint.enabledEvents.includes(type))
      .map((endpoint) => ({ endpointId: endpoint.id as string | null, url: endpoint.url }));
    if (subject.callbackUrl) targets.push({ endpointId: null, url: subject.callbackUrl });
    const deliveries = targets.map((target) => Object.assign(new Delivery(), { eventId: event.id, ...target, nextAttemptAt: now, createdAt: now }));
    return { event, deliveries };
  }

  private endpoints(em: EntityManager): Promise<WebhookEndpoint[]> {
    let endpoints = this.endpointsByTransaction.get(em);
    if (!endpoints) {
      endpoints = queryEntities(em, WebhookEndpoint, 'select * from webhook_endpoints where deleted_at is null', []);
      this.endpointsByTransaction.set(em, endpoints);
    }
    return endpoints;
  }
}
