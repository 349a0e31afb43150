'use strict';

const { customSession, release, spayonEnv } = require('../support/spayon');

/** Rules the routed session passes through: two that do not match, then the one that decides. */
const RULES = [
  { name: 'bench-jpy', match: { currency: 'JPY' }, providers: ['komoju'] },
  { name: 'bench-card', match: { payment_method: 'card' }, providers: ['smart_glocal'] },
  { name: 'bench-amd', match: { currency: 'AMD', amount_min: 1, amount_max: 100000000, mode: 'payment' }, providers: ['spayon', 'smart_glocal'] },
];

const { provider: _pinned, ...routed } = customSession;

/**
 * The same Spayon session as `POST /v1/sessions (Spayon)`, but not pinned: routing rules are
 * evaluated, the breakers read and the call recorded. Its rate against the pinned scenario's, in
 * the same run, is what routing costs per request (printed under the table).
 */
module.exports = {
  name: 'POST /v1/sessions (routed by rule to Spayon)',
  baseline: 'POST',
  versus: 'POST /v1/sessions (Spayon)',
  async serverEnv() {
    return { ...(await spayonEnv()), ROUTING_RULES: JSON.stringify(RULES) };
  },
  async prepare({ api }) {
    // Checked once before measuring: the rule really routes it to Spayon.
    const session = await api.post('/v1/sessions', routed);
    if (session.provider !== 'spayon' || session.routing.rule !== 'bench-amd') throw new Error(`routed to ${session.provider} by ${session.routing.rule}`);
    return { method: 'POST', path: '/v1/sessions', headers: { 'content-type': 'application/json' }, body: JSON.stringify(routed) };
  },
  teardown: release,
};
