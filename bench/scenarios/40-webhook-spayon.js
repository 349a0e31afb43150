'use strict';

const { paidCallbacks, openSessions, release, spayonEnv } = require('../support/spayon');

const SESSIONS = Number(process.env.BENCH_WEBHOOK_SESSIONS || 3000);
const WARMUP = Math.ceil(SESSIONS / 10);

/**
 * Spayon's `paid` callback on POST /v1/webhooks/spayon, each paying an open session: signature
 * check on the raw body, dedupe check, row lock, status change, session event, outbound event and
 * the audit row. Each run pays its own SESSIONS sessions (after WARMUP more for the warm-up), so
 * paymux and the floor do the same work whatever their rates; retries are the next scenario.
 */
module.exports = {
  name: `POST /v1/webhooks/spayon (${SESSIONS} paid)`,
  baseline: 'POST',
  floor: true,
  public: true,
  serverEnv: spayonEnv,
  async prepare({ api }) {
    const callbacks = paidCallbacks(await openSessions(api, WARMUP + SESSIONS));
    let next = 0;
    return {
      public: true,
      amount: SESSIONS,
      warmupAmount: WARMUP,
      requests: [
        {
          method: 'POST',
          path: '/v1/webhooks/spayon',
          setupRequest(request) {
            const callback = callbacks[next++];
            return { ...request, headers: { 'content-type': 'application/json', 'x-signature': callback.signature }, body: callback.body };
          },
        },
      ],
    };
  },
  teardown: release,
};
