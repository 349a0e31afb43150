import { EntityManager } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import { NotFound } from '@paymux/payments';
import { Clock } from '../clock';
import { pageLimit, toList } from '../http/pagination';
import { DeliveryAttempt } from './delivery-attempt.entity';
import { Delivery } from './delivery.entity';
import { DeliveryView, EventView, EventWithDeliveriesView, ListEventsQuery } from './dto/event.dto';
import { Event } from './event.entity';
import { WebhookEndpoint } from './webhook-endpoint.entity';

/** The event exactly as it is delivered. */
export function renderEvent(event: Event): EventView {
  return JSON.parse(event.payload) as EventView;
}

function renderDelivery(delivery: Delivery, attempts: DeliveryAttempt[]): DeliveryView {
  return {
    id: delivery.id,
    object: 'delivery',
    endpoint_id: delivery.endpointId,
    url: delivery.url,
    state: delivery.state,
    attempt_count: delivery.attempts,
    next_attempt_at: delivery.nextAttemptAt?.toISOString() ?? null,
    delivered_at: delivery.deliveredAt?.toISOString() ?? null,
    created_at: delivery.createdAt.toISOString(),
    attempts: attempts.map((attempt) => ({
      attempt: attempt.attempt,
      status_code: attempt.statusCode,
      duration_ms: attempt.durationMs,
      response_body: attempt.responseSnippet,
      error: attempt.error,
      created_at: attempt.createdAt.toISOString(),
    })),
  };
}

/** Events for the API (and, later, the admin panel): listing, one with its deliveries, redelivery. */
@Injectable()
export class EventsService {
  constructor(
    private readonly em: EntityManager,
    private readonly clock: Clock,
  ) {}

  async list(query: ListEventsQuery) {
    const limit = pageLimit(query);
    const where: Record<string, unknown> = {};
    if (query.type !== undefined) where.type = query.type;
    if (query.session_id !== undefined) where.sessionId = query.session_id;
    if (query.starting_after !== undefined) where.id = { $lt: query.starting_after };
    const rows = await this.em.fork().find(Event, where, { orderBy: { id: 'desc' }, limit: limit + 1 });
    return toList(rows, limit, renderEvent);
  }

  async get(id: string): Promise<EventWithDeliveriesView> {
    const em = this.em.fork();
    const event = await em.findOne(Event, { id });
    if (!event) throw new NotFound('event', id);
    const deliveries = await em.find(Delivery, { eventId: id }, { orderBy: { id: 'asc' } });
    const attempts = await em.find(DeliveryAttempt, { eventId: id }, { orderBy: { id: 'asc' } });
    return {
      ...renderEvent(event),
      deliveries: deliveries.map((delivery) => renderDelivery(delivery, attempts.filter((attempt) => attempt.deliveryId === delivery.id))),
    };
  }

  /**
   * Sends every delivery of the event again as soon as the delivery job runs, failed and
   * delivered ones included, except to deleted endpoints. A delivery being sent right now keeps
   * its lease, so it is never sent twice at the same moment.
   */
  async redeliver(id: string): Promise<EventWithDeliveriesView> {
    await this.em.fork().transactional(async (em) => {
      const event = await em.findOne(Event, { id });
      if (!event) throw new NotFound('event', id);
      // Unmanaged, so that the commit does not write the loaded rows back over the update.
      const deliveries = await em.find(Delivery, { eventId: id }, { disableIdentityMap: true });
      const endpointIds = deliveries.map((delivery) => delivery.endpointId).filter((endpointId): endpointId is string => endpointId !== null);
      const deleted = new Set(
        endpointIds.length === 0 ? [] : (await em.find(WebhookEndpoint, { id: { $in: endpointIds }, deletedAt: { $ne: null } })).map((endpoint) => endpoint.id),
      );
      const ids = deliveries.filter((delivery) => delivery.endpointId === null || !deleted.has(delivery.endpointId)).map((delivery) => delivery.id);
      if (ids.length > 0) await em.nativeUpdate(Delivery, { id: { $in: ids } }, { state: 'pending', nextAttemptAt: this.clock.now() });
    });
    return this.get(id);
  }
}
