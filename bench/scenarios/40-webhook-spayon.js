'use strict';

const { customSession, release, signCallback, spayonEnv } = require('../support/spayon');

const SESSIONS = Number(process.env.BENCH_WEBHOOK_SESSIONS || 3000);

/**
 * Spayon's `paid` callback on POST /v1/webhooks/spayon: signature check on the raw body, the
 * audit row, and the state machine. The first SESSIONS callbacks each pay an open session (the
 * full path: row lock, session event, outbound event); later ones are Spayon's retries of the
 * same callbacks, answered as duplicates.
 */
module.exports = {
  name: `POST /v1/webhooks/spayon (${SESSIONS} paid, then retries)`,
  baseline: 'POST',
  floor: true,
  public: true,
  serverEnv: spayonEnv,
  async prepare({ api }) {
    const ids = [];
    for (let i = 0; i < SESSIONS; i += 50) {
      const batch = await Promise.all(Array.from({ length: Math.min(50, SESSIONS - i) }, () => api.post('/v1/sessions', customSession)));
      ids.push(...batch.map((session) => session.provider_session_id));
    }
    const now = new Date().toISOString();
    const bodies = ids.map((sessionId) => {
      const body = JSON.stringify({ sessionId, status: 'paid', productName: 'Bench order', price: '5000', currency: 'AMD', createdAt: now, updatedAt: now, orderId: 'BENCH-1' });
      return { body, signature: signCallback(body) };
    });
    let next = 0;
    return {
      public: true,
      requests: [
        {
          method: 'POST',
          path: '/v1/webhooks/spayon',
          setupRequest(request) {
            const callback = bodies[next++ % bodies.length];
            return { ...request, headers: { 'content-type': 'application/json', 'x-signature': callback.signature }, body: callback.body };
          },
        },
      ],
    };
  },
  teardown: release,
};
