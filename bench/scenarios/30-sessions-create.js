'use strict';

const { customSession, release, spayonEnv } = require('../support/spayon');

/**
 * Create a Spayon session: validation, routing, customer upsert, the session and its first
 * event, then Spayon's create call over HTTP (a simulator answering with no added latency).
 */
module.exports = {
  name: 'POST /v1/sessions (Spayon)',
  baseline: 'POST',
  floor: true,
  serverEnv: spayonEnv,
  async prepare() {
    return { method: 'POST', path: '/v1/sessions', headers: { 'content-type': 'application/json' }, body: JSON.stringify(customSession) };
  },
  teardown: release,
};
