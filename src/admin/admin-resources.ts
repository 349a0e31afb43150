import type { MikroORM } from '@mikro-orm/core';
import type { PropertyOptions, ResourceWithOptions } from 'adminjs';
import type { AdminComponents } from './admin-bundle';
import { adminUserResource, apiKeyResource } from './resources/access-resources';
import { customerResource } from './resources/customer-resource';
import type { ResourceDependencies } from './resources/dependencies';
import { deliveryResources, eventResource, webhookEndpointResource } from './resources/notification-resources';
import { inboundWebhookResource, jobRunResource, jobStateResource } from './resources/operations-resources';
import { productResource } from './resources/product-resource';
import { sessionEventResource, sessionResource } from './resources/session-resources';

export type { ResourceDependencies } from './resources/dependencies';

/** A column naming another record → the resource its id links to, wherever the column appears. */
const ID_LINKS: Record<string, string> = {
  sessionId: 'Session',
  customerId: 'Customer',
  productId: 'Product',
  eventId: 'Event',
  deliveryId: 'Delivery',
  endpointId: 'WebhookEndpoint',
};

/** The panel's resources, in the order of its navigation; each group is built in its own file. */
export function adminResources(deps: ResourceDependencies): ResourceWithOptions[] {
  const resources = [
    productResource(deps),
    customerResource(deps),
    sessionResource(deps),
    sessionEventResource(deps),
    inboundWebhookResource(deps),
    jobRunResource(deps),
    jobStateResource(deps),
    eventResource(deps),
    ...deliveryResources(deps),
    webhookEndpointResource(deps),
    apiKeyResource(deps),
    adminUserResource(deps),
  ];
  return (deps.extend?.(resources) ?? resources).map((resource) => withTimesAndLinks(resource, deps.orm, deps.components));
}

/**
 * Every time column shown to the second (UTC) and every id column naming another record shown as
 * a link to it, both on one line, in lists and on record pages; the edit forms keep AdminJS's own.
 */
function withTimesAndLinks(resource: ResourceWithOptions, orm: MikroORM, components: AdminComponents): ResourceWithOptions {
  const model = (resource.resource as { model: { name: string } }).model;
  const meta = orm.getMetadata().find(model.name);
  if (!meta) return resource;
  const properties: Record<string, PropertyOptions> = { ...(resource.options.properties ?? {}) };
  for (const prop of Object.values(meta.properties)) {
    const own = properties[prop.name] ?? {};
    if (own.components?.list || own.components?.show) continue;
    if (prop.runtimeType === 'Date' || /^(date|datetime|timestamp)/i.test(String(prop.type))) {
      properties[prop.name] = { ...own, components: { ...own.components, list: components.DateTime, show: components.DateTime } };
    } else if (ID_LINKS[prop.name] && ID_LINKS[prop.name] !== model.name) {
      properties[prop.name] = { ...own, custom: { ...own.custom, linkTo: ID_LINKS[prop.name] }, components: { ...own.components, list: components.RecordLink, show: components.RecordLink } };
    }
  }
  return { ...resource, options: { ...resource.options, properties } };
}
