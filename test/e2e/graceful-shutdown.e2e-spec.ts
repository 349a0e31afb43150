import { connect } from 'node:net';
import { TEST_API_KEY } from '../support/app';
import { BuiltServer, startBuiltServer } from '../support/built-server';

/**
 * Sends the head of a request with `Expect: 100-continue` and half its body once the server has
 * answered "100 Continue" (it is then handling the request), and the rest when told to.
 */
function requestInFlight(url: string, path: string, body: string) {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  let answer = '';
  let continued!: () => void;
  const accepted = new Promise<void>((resolve) => (continued = resolve));
  socket.on('data', (chunk) => {
    answer += chunk;
    if (answer.startsWith('HTTP/1.1 100')) continued();
  });
  const closed = new Promise<string>((resolve) => socket.once('close', () => resolve(answer)));
  const connected = new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  const half = Math.floor(body.length / 2);
  return {
    started: connected
      .then(() => {
        socket.write(
          `POST ${path} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nAuthorization: Bearer ${TEST_API_KEY}\r\n` +
            `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n`,
        );
        return accepted;
      })
      .then(() => void socket.write(body.slice(0, half))),
    finish: () => void socket.write(body.slice(half)),
    answer: closed,
  };
}

describe('graceful shutdown', () => {
  let server: BuiltServer;
  beforeAll(async () => (server = await startBuiltServer({ BOOTSTRAP_API_KEY: TEST_API_KEY, ADMIN_ENABLED: 'false', JOBS_ENABLED: 'true', LOG_LEVEL: 'warn' })), 120_000);
  afterAll(() => server?.stop());

  it('on SIGTERM stops taking connections, answers the request in flight, logs one line and exits 0', async () => {
    const inFlight = requestInFlight(server.url, '/v1/customers', JSON.stringify({ email: 'late@example.com', full_name: 'Answered after SIGTERM' }));
    await inFlight.started;
    server.child.kill('SIGTERM');
    // New connections are refused once the listener has closed...
    for (;;) {
      const refused = await fetch(`${server.url}/health`).then(() => false, () => true);
      if (refused) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    // ...while the request that was already being received is still answered in full.
    inFlight.finish();
    const answer = await inFlight.answer;
    expect(answer).toMatch(/\r\n\r\nHTTP\/1\.1 201 /);
    expect(answer).toContain('"email":"late@example.com"');
    expect(await server.exited).toEqual({ code: 0, signal: null });
    const lines = server.output().split('\n').filter((line) => line.includes('SIGTERM'));
    expect(lines).toEqual([expect.stringMatching(/^paymux: SIGTERM: stopped gracefully in \d+ ms$/)]);
  }, 60_000);
});
