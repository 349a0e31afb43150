import { EntityManager } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import { Clock } from '../clock';
import { Delivery } from './delivery.entity';
import { Event } from './event.entity';
import { WebhookEndpoint } from './webhook-endpoint.entity';

export const EVENT_TYPES = [
  'session.processing',
  'session.succeeded',
  'session.failed',
  'session.expired',
  'session.cancelled',
  'session.amount_mismatch',
  'customer.updated',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export interface EventSubject {
  sessionId?: string | null;
  customerId?: string | null;
  /** The session's own callback_url, which gets every event of that session. */
  callbackUrl?: string | null;
}

/**
 * Transactional outbox: an event and its deliveries are written with the entity manager of the
 * change they report, so both commit or neither does. The delivery job sends them later.
 */
@Injectable()
export class Outbox {
  /** Endpoints read once per transaction: a batch of changes fans out without a query per event. */
  private readonly endpointsByTransaction = new WeakMap<EntityManager, Promise<WebhookEndpoint[]>>();

  constructor(private readonly clock: Clock) {}

  async record(em: EntityManager, type: EventType, subject: EventSubject, object: unknown): Promise<Event> {
    const now = this.clock.now();
    const event = new Event();
    event.type = type;
    event.sessionId = subject.sessionId ?? null;
    event.customerId = subject.customerId ?? null;
    event.createdAt = now;
    event.payload = JSON.stringify({ id: event.id, object: 'event', type, created_at: now.toISOString(), data: { object } });
    em.persist(event);

    const endpoints = await this.endpoints(em);
    const targets = endpoints
      .filter((endpoint) => endpoint.enabledEvents.length === 0 || endpoint.enabledEvents.includes(type))
      .map((endpoint) => ({ endpointId: endpoint.id as string | null, url: endpoint.url }));
    if (subject.callbackUrl) targets.push({ endpointId: null, url: subject.callbackUrl });
    for (const target of targets) {
      em.persist(Object.assign(new Delivery(), { eventId: event.id, ...target, nextAttemptAt: now, createdAt: now }));
    }
    return event;
  }

  private endpoints(em: EntityManager): Promise<WebhookEndpoint[]> {
    let endpoints = this.endpointsByTransaction.get(em);
    if (!endpoints) {
      endpoints = em.find(WebhookEndpoint, { deletedAt: null });
      this.endpointsByTransaction.set(em, endpoints);
    }
    return endpoints;
  }
}
