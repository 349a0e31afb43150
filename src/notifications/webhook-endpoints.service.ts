import { randomBytes } from 'node:crypto';
import { EntityManager } from '@mikro-orm/core';
import { Inject, Injectable } from '@nestjs/common';
import { InvalidRequest, NotFound } from '@paymux/payments';
import { Clock } from '../clock';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { pageLimit, toList } from '../http/pagination';
import { Delivery } from './delivery.entity';
import { DestinationPolicy, ForbiddenDestination } from './destination-policy';
import { CreatedWebhookEndpointView, CreateWebhookEndpointDto, DeletedWebhookEndpointView, ListWebhookEndpointsQuery, WebhookEndpointView } from './dto/webhook-endpoint.dto';
import { EVENT_TYPES } from './outbox';
import { WebhookEndpoint } from './webhook-endpoint.entity';

export function renderWebhookEndpoint(endpoint: WebhookEndpoint): WebhookEndpointView {
  return {
    id: endpoint.id,
    object: 'webhook_endpoint',
    url: endpoint.url,
    // Stored empty means "every type", including types added later.
    enabled_events: endpoint.enabledEvents.length > 0 ? endpoint.enabledEvents : [...EVENT_TYPES],
    description: endpoint.description,
    created_at: endpoint.createdAt.toISOString(),
  };
}

/** 32 random bytes, base64url: what endpoints verify our signatures with. */
export function newSigningSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

@Injectable()
export class WebhookEndpointsService {
  constructor(
    private readonly em: EntityManager,
    private readonly destinations: DestinationPolicy,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The only answer that carries the secret. */
  async create(input: CreateWebhookEndpointDto): Promise<CreatedWebhookEndpointView> {
    if (this.config.production) {
      try {
        await this.destinations.resolve(input.url);
      } catch (error) {
        if (error instanceof ForbiddenDestination) throw new InvalidRequest('url', `url ${error.message}`);
        throw error;
      }
    }
    const endpoint = Object.assign(new WebhookEndpoint(), {
      url: input.url,
      enabledEvents: input.enabled_events ?? [],
      description: input.description ?? null,
      secret: newSigningSecret(),
      createdAt: this.clock.now(),
    });
    await this.em.fork().persistAndFlush(endpoint);
    return { ...renderWebhookEndpoint(endpoint), secret: endpoint.secret };
  }

  async list(query: ListWebhookEndpointsQuery) {
    const limit = pageLimit(query);
    const where: Record<string, unknown> = { deletedAt: null };
    if (query.starting_after !== undefined) where.id = { $lt: query.starting_after };
    const rows = await this.em.fork().find(WebhookEndpoint, where, { orderBy: { id: 'desc' }, limit: limit + 1 });
    return toList(rows, limit, renderWebhookEndpoint);
  }

  async get(id: string): Promise<WebhookEndpointView> {
    const endpoint = await this.em.fork().findOne(WebhookEndpoint, { id, deletedAt: null });
    if (!endpoint) throw new NotFound('webhook endpoint', id);
    return renderWebhookEndpoint(endpoint);
  }

  /** Soft delete: no new deliveries, and its pending ones are given up (not sent). */
  async remove(id: string): Promise<DeletedWebhookEndpointView> {
    return this.em.fork().transactional(async (em) => {
      const endpoint = await em.findOne(WebhookEndpoint, { id, deletedAt: null });
      if (!endpoint) throw new NotFound('webhook endpoint', id);
      endpoint.deletedAt = this.clock.now();
      await em.flush();
      await em.nativeUpdate(Delivery, { endpointId: id, state: 'pending' }, { state: 'failed', nextAttemptAt: null });
      return { ...renderWebhookEndpoint(endpoint), deleted: true as const };
    });
  }
}
