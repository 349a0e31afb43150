import type { ResourceWithOptions } from 'adminjs';
import { adminUserResource, apiKeyResource } from './resources/access-resources';
import { customerResource } from './resources/customer-resource';
import type { ResourceDependencies } from './resources/dependencies';
import { deliveryResources, eventResource, webhookEndpointResource } from './resources/notification-resources';
import { inboundWebhookResource, jobRunResource, jobStateResource } from './resources/operations-resources';
import { productResource } from './resources/product-resource';
import { sessionEventResource, sessionResource } from './resources/session-resources';

export type { ResourceDependencies } from './resources/dependencies';

/** The panel's resources, in the order of its navigation; each group is built in its own file. */
export function adminResources(deps: ResourceDependencies): ResourceWithOptions[] {
  return [
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
}
