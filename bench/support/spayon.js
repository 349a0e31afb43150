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

module.exports = { spayonEnv, release, signCallback, customSession };
