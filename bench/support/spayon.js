'use strict';

/**
 * A Spayon simulator in its own process (as a real provider is: not competing with the load
 * generator for this process's event loop), used by paymux as if it were Spayon with real
 * credentials (SPAYON_BASE_URL and friends), so the bench knows the callback secret and can sign
 * callbacks. Shared by the scenarios that need it; the last one to finish stops it.
 */
const { spawn } = require('node:child_process');
const { join } = require('node:path');

const CREDENTIALS = { clientId: 'bench-client', clientSecret: 'bench-client-secret', callbackSecret: 'bench-callback-secret' };
let running = null;
let users = 0;

function library() {
  return require(join(__dirname, '..', '..', 'dist', 'libs', 'spayon', 'src'));
}

async function spayonEnv() {
  users += 1;
  if (!running) {
    const child = spawn(process.execPath, [join(__dirname, 'spayon-server.js'), JSON.stringify(CREDENTIALS)], { stdio: ['ignore', 'pipe', 'inherit'] });
    const baseUrl = await new Promise((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`the Spayon simulator exited (${code})`)));
      child.stdout.once('data', (chunk) => resolve(String(chunk).trim()));
    });
    running = { child, baseUrl };
  }
  return {
    SPAYON_BASE_URL: running.baseUrl,
    SPAYON_CLIENT_ID: CREDENTIALS.clientId,
    SPAYON_CLIENT_SECRET: CREDENTIALS.clientSecret,
    SPAYON_CALLBACK_SECRET: CREDENTIALS.callbackSecret,
  };
}

async function release() {
  users -= 1;
  if (users === 0 && running) {
    running.child.removeAllListeners('exit');
    running.child.kill('SIGTERM');
    running = null;
  }
}

function signCallback(body) {
  return library().signCallback(Buffer.from(body), CREDENTIALS.callbackSecret);
}

const customSession = {
  provider: 'spayon',
  amount: 500000,
  currency: 'AMD',
  description: 'Bench order',
  order_id: 'BENCH-1',
  return_url: 'https://shop.example/thanks',
};

/** `count` Spayon sessions created through paymux's API, 50 at a time; their Spayon session ids. */
async function openSessions(api, count) {
  const ids = [];
  for (let i = 0; i < count; i += 50) {
    const batch = await Promise.all(Array.from({ length: Math.min(50, count - i) }, () => api.post('/v1/sessions', customSession)));
    ids.push(...batch.map((session) => session.provider_session_id));
  }
  return ids;
}

/** Spayon's signed `paid` callback for each of `sessionIds`, as it would send it. */
function paidCallbacks(sessionIds) {
  const now = new Date().toISOString();
  return sessionIds.map((sessionId) => {
    const body = JSON.stringify({ sessionId, status: 'paid', productName: 'Bench order', price: '5000', currency: 'AMD', createdAt: now, updatedAt: now, orderId: 'BENCH-1' });
    return { body, signature: signCallback(body) };
  });
}

module.exports = { spayonEnv, release, customSession, openSessions, paidCallbacks };
