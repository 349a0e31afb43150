'use strict';

const { paidCallbacks, openSessions, release, spayonEnv } = require('../support/spayon');

const SESSIONS = 500;

/**
 * Spayon's retries of `paid` callbacks paymux has already applied (Spayon resends until it gets
 * a 2xx, and may resend after one): signature check, the dedupe check, answered as duplicates.
 * The sessions are paid once through paymux before either server is measured.
 */
module.exports = {
  name: 'POST /v1/webhooks/spayon (retries of applied callbacks)',
  baseline: 'POST',
  floor: true,
  public: true,
  serverEnv: spayonEnv,
  async prepare({ api, url }) {
    const callbacks = paidCallbacks(await openSessions(api, SESSIONS));
    for (const callback of callbacks) {
      const res = await fetch(`${url}/v1/webhooks/spayon`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-signature': callback.signature }, body: callback.body });
      if (!res.ok) throw new Error(`paying a session through paymux answered ${res.status}: ${await res.text()}`);
    }
    let next = 0;
    return {
      public: true,
      requests: [
        {
          method: 'POST',
          path: '/v1/webhooks/spayon',
          setupRequest(request) {
            const callback = callbacks[next++ % callbacks.length];
            return { ...request, headers: { 'content-type': 'application/json', 'x-signature': callback.signature }, body: callback.body };
          },
        },
      ],
    };
  },
  teardown: release,
};
