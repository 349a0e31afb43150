import { PaymuxError } from '@paymux/payments';
import type { ResourceWithOptions } from 'adminjs';
import { DeliveryAttempt } from '../../notifications/delivery-attempt.entity';
import { Delivery } from '../../notifications/delivery.entity';
import { Event } from '../../notifications/event.entity';
import { WebhookEndpoint } from '../../notifications/webhook-endpoint.entity';
import { actionsWithAccess, confirmedAction, Handler, jsonAsText, mapParams, NAVIGATION, pipe, prettyJson, readOnly, recordJson, withoutSecret } from '../resource-kit';
import type { ResourceDependencies } from './dependencies';

export function eventResource({ orm, eventActions, components }: ResourceDependencies): ResourceWithOptions {
  const showPayload = mapParams(prettyJson('payload'));
  const redeliver: Handler = async (_request, _response, context) => {
    const id = String(context.record!.id());
    const service = eventActions();
    const current = () => recordJson(context, id, prettyJson('payload'));
    if (!service) return { record: await current(), notice: { message: 'Redelivery is not available: the notifications module is not loaded', type: 'error' } };
    try {
      await service.redeliver(id);
    } catch (error) {
      if (!(error instanceof PaymuxError)) throw error;
      return { record: await current(), notice: { message: error.message, type: 'error' } };
    }
    return {
      record: await current(),
      redirectUrl: context.h.recordActionUrl({ resourceId: 'Event', recordId: id, actionName: 'show' }),
      notice: { message: 'Every delivery of this event is due again: the delivery job sends it on its next run', type: 'success' },
    };
  };
  return {
    resource: { model: Event, orm },
    options: {
      navigation: NAVIGATION.notifications,
      listProperties: ['id', 'type', 'sessionId', 'customerId', 'createdAt'],
      showProperties: ['id', 'type', 'sessionId', 'customerId', 'createdAt', 'payload'],
      filterProperties: ['id', 'type', 'sessionId', 'customerId', 'createdAt'],
      properties: { payload: { type: 'textarea' } },
      sort: { sortBy: 'id', direction: 'desc' },
      actions: actionsWithAccess('Event', {
        list: { after: showPayload },
        show: { after: showPayload },
        redeliver: confirmedAction(components.ConfirmAction, {
          icon: 'Send',
          confirmation: () => ({
            question: 'Send every delivery of this event again?',
            note: 'Each delivery is due again at once; the delivery job sends it on its next run. Past attempts are kept.',
            confirmLabel: 'Redeliver event',
            keepLabel: 'Go back',
          }),
          work: redeliver,
        }),
      }),
    },
  };
}

export function deliveryResources({ orm }: ResourceDependencies): ResourceWithOptions[] {
  return [
    {
      resource: { model: Delivery, orm },
      options: {
        navigation: NAVIGATION.notifications,
        listProperties: ['id', 'eventId', 'url', 'state', 'attempts', 'nextAttemptAt', 'deliveredAt', 'createdAt'],
        filterProperties: ['eventId', 'endpointId', 'state'],
        sort: { sortBy: 'id', direction: 'desc' },
        actions: actionsWithAccess('Delivery', readOnly()),
      },
    },
    {
      resource: { model: DeliveryAttempt, orm },
      options: {
        navigation: NAVIGATION.notifications,
        listProperties: ['id', 'deliveryId', 'eventId', 'attempt', 'statusCode', 'durationMs', 'error', 'createdAt'],
        filterProperties: ['deliveryId', 'eventId', 'statusCode'],
        properties: { responseSnippet: { type: 'textarea' }, error: { type: 'textarea' } },
        sort: { sortBy: 'id', direction: 'desc' },
        actions: actionsWithAccess('DeliveryAttempt', readOnly()),
      },
    },
  ];
}

export function webhookEndpointResource({ orm }: ResourceDependencies): ResourceWithOptions {
  return {
    resource: { model: WebhookEndpoint, orm },
    options: {
      navigation: NAVIGATION.notifications,
      listProperties: ['id', 'url', 'description', 'createdAt', 'deletedAt'],
      showProperties: ['id', 'url', 'enabledEvents', 'description', 'createdAt', 'deletedAt'],
      filterProperties: ['url'],
      // The signing secret is shown once by the API at creation and never again, here neither.
      properties: { secret: { isVisible: false }, enabledEvents: { type: 'textarea' } },
      sort: { sortBy: 'createdAt', direction: 'desc' },
      actions: actionsWithAccess('WebhookEndpoint', readOnly(pipe(withoutSecret('secret'), jsonAsText(['enabledEvents'])))),
    },
  };
}
