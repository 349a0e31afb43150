'use strict';

/**
 * Outbound notifications: deliveries per second from the `deliver-notifications` job to a local
 * receiver that answers 200 at once. An app instance built from dist/ (jobs off, so only this
 * measurement delivers) shares the bench database; BENCH_DELIVERIES (2000) events are written
 * through the outbox for one webhook endpoint, then job runs are timed until none is due.
 * p50/p99 are the recorded durations of single delivery attempts.
 */
const { createServer } = require('node:http');
const { join } = require('node:path');

const COUNT = Number(process.env.BENCH_DELIVERIES || 2000);

module.exports = {
  name: `deliver-notifications to a local receiver (${COUNT} deliveries)`,
  async measure({ databaseUrl, root }) {
    const dist = (path) => require(join(root, 'dist', 'src', path));
    const { createApp } = dist('app.factory');
    const { EntityManager } = require('@mikro-orm/core');
    const { Outbox } = dist('notifications/outbox');
    const { DeliverNotificationsJob } = dist('notifications/deliver-notifications.job');
    const { WebhookEndpointsService } = dist('notifications/webhook-endpoints.service');
    const { DeliveryAttempt } = dist('notifications/delivery-attempt.entity');
    const { Delivery } = dist('notifications/delivery.entity');

    const receiver = createServer((req, res) => req.resume().on('end', () => res.writeHead(200).end('ok')));
    await new Promise((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const paymux = await createApp({
      listen: false,
      env: { NODE_ENV: 'development', DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn', JOBS_ENABLED: 'false', ADMIN_ENABLED: 'false' },
    });
    try {
      const app = paymux.app;
      await app.get(WebhookEndpointsService).create({ url: `http://127.0.0.1:${receiver.address().port}/paymux` });
      const outbox = app.get(Outbox);
      const session = { id: 'sess_bench', object: 'session', provider: 'spayon', status: 'succeeded', amount: 500000, currency: 'AMD', metadata: { order: 'bench' } };
      for (let done = 0; done < COUNT; done += 500) {
        await app.get(EntityManager).fork().transactional(async (em) => {
          for (let i = done; i < Math.min(done + 500, COUNT); i++) await outbox.record(em, 'session.succeeded', { sessionId: `sess_bench_${i}` }, session);
        });
      }

      const job = app.get(DeliverNotificationsJob);
      const started = process.hrtime.bigint();
      while ((await job.run({ signal: new AbortController().signal, instanceId: 'bench' })).examined > 0);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;

      const em = app.get(EntityManager).fork();
      const durations = (await em.find(DeliveryAttempt, {}, { fields: ['durationMs'] })).map((a) => a.durationMs).sort((a, b) => a - b);
      const delivered = await em.count(Delivery, { state: 'delivered' });
      const percentile = (p) => durations[Math.min(durations.length - 1, Math.floor((p / 100) * durations.length))] ?? 0;
      return { rate: delivered / seconds, p50: percentile(50), p99: percentile(99), failures: COUNT - delivered };
    } finally {
      await paymux.close();
      await new Promise((resolve) => receiver.close(resolve));
    }
  },
};
