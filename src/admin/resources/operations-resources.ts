import { PaymuxError } from '@paymux/payments';
import type { ActionContext, ResourceWithOptions } from 'adminjs';
import { JobRun } from '../../jobs/job-run.entity';
import { JobState } from '../../jobs/job-state.entity';
import { InboundWebhook } from '../../webhooks/inbound-webhook.entity';
import type { JobActions } from '../job-actions';
import { actionsWithAccess, confirmedAction, Handler, jsonAsText, NAVIGATION, readOnly, recordJson } from '../resource-kit';
import type { ResourceDependencies } from './dependencies';

export function inboundWebhookResource({ orm }: ResourceDependencies): ResourceWithOptions {
  return {
    resource: { model: InboundWebhook, orm },
    options: {
      navigation: NAVIGATION.operations,
      listProperties: ['id', 'provider', 'eventType', 'sessionId', 'outcome', 'receivedAt'],
      filterProperties: ['provider', 'eventType', 'sessionId', 'outcome', 'dedupeKey'],
      properties: { rawBody: { type: 'textarea' }, headers: { type: 'textarea' } },
      sort: { sortBy: 'id', direction: 'desc' },
      actions: actionsWithAccess('InboundWebhook', readOnly(jsonAsText(['headers']))),
    },
  };
}

export function jobRunResource({ orm }: ResourceDependencies): ResourceWithOptions {
  return {
    resource: { model: JobRun, orm },
    options: {
      navigation: NAVIGATION.operations,
      listProperties: ['job', 'status', 'startedAt', 'finishedAt', 'examined', 'changed', 'instanceId'],
      filterProperties: ['job', 'status', 'instanceId'],
      sort: { sortBy: 'startedAt', direction: 'desc' },
      actions: actionsWithAccess('JobRun', readOnly()),
    },
  };
}

export function jobStateResource({ orm, jobActions, components }: ResourceDependencies): ResourceWithOptions {
  const action =
    (work: (service: JobActions, job: string) => Promise<unknown>, done: string): Handler =>
    async (_request, _response, context) => {
      const job = String(context.record!.id());
      const service = jobActions();
      const current = () => recordJson(context, job);
      if (!service) return { record: await current(), notice: { message: 'Job actions are not available: the jobs module is not loaded', type: 'error' } };
      try {
        await work(service, job);
      } catch (error) {
        if (!(error instanceof PaymuxError)) throw error;
        return { record: await current(), notice: { message: error.message, type: 'error' } };
      }
      return {
        record: await current(),
        redirectUrl: context.h.recordActionUrl({ resourceId: 'JobState', recordId: job, actionName: 'show' }),
        notice: { message: done, type: 'success' },
      };
    };
  const paused = (context: ActionContext) => context.record?.params?.paused === true || context.record?.params?.paused === 'true';
  return {
    resource: { model: JobState, orm },
    options: {
      navigation: NAVIGATION.operations,
      listProperties: ['job', 'paused', 'lastRunAt', 'lastSuccessAt'],
      properties: { job: { isTitle: true }, paused: { type: 'boolean' } },
      sort: { sortBy: 'job', direction: 'asc' },
      actions: actionsWithAccess('JobState', {
        pause: confirmedAction(components.ConfirmAction, {
          icon: 'Pause',
          isVisible: (context) => !paused(context),
          confirmation: () => ({
            question: 'Pause this job on every instance?',
            note: 'No instance runs it on its schedule until it is resumed; Run now still runs it.',
            confirmLabel: 'Pause job',
            keepLabel: 'Keep it running',
          }),
          work: action((service, job) => service.setPaused(job, true), 'Job paused on every instance'),
        }),
        resume: confirmedAction(components.ConfirmAction, {
          icon: 'Play',
          isVisible: (context) => paused(context),
          confirmation: () => ({ question: 'Resume this job on every instance?', confirmLabel: 'Resume job', keepLabel: 'Keep it paused' }),
          work: action((service, job) => service.setPaused(job, false), 'Job resumed'),
        }),
        runNow: confirmedAction(components.ConfirmAction, {
          icon: 'FastForward',
          confirmation: () => ({
            question: 'Run this job now in this instance?',
            note: 'It runs even if it is paused; the page answers when the run has finished.',
            confirmLabel: 'Run job now',
            keepLabel: 'Go back',
          }),
          work: action((service, job) => service.runNow(job), 'Job run finished: see Job runs'),
        }),
      }),
    },
  };
}
