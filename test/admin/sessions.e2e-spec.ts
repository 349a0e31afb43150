import { AdminClient, signInRequest } from '../support/admin-client';
import { BuiltServer, startBuiltServer } from '../support/built-server';

const ADMIN = { email: 'owner@example.com', password: 'correct horse battery staple' };
const SHARED = {
  ADMIN_EMAIL: ADMIN.email,
  ADMIN_PASSWORD: ADMIN.password,
  ADMIN_SESSION_SECRET: 'a shared session secret of at least 32 characters',
};
const LIST = '/admin/api/resources/Product/actions/list';

describe('admin sessions and sign-in limits across instances', () => {
  const servers: BuiltServer[] = [];
  const start = async (existing?: BuiltServer) => {
    const server = await startBuiltServer(SHARED, existing?.database);
    servers.push(server);
    return server;
  };
  afterAll(async () => {
    // The first server owns (and drops) the database: stop it last.
    for (const server of [...servers].reverse()) await server.stop();
  });

  it('a sign-in on one instance is valid on another and survives a restart; signing out ends it everywhere', async () => {
    const one = await start();
    const other = await start(one);
    const signedIn = await AdminClient.signIn(one.url, ADMIN.email, ADMIN.password);
    expect((await fetch(`${other.url}${LIST}`, { headers: { cookie: signedIn.cookie } })).status).toBe(200);

    one.child.kill('SIGTERM');
    await one.exited;
    const restarted = await start(one);
    expect((await fetch(`${restarted.url}${LIST}`, { headers: { cookie: signedIn.cookie } })).status).toBe(200);

    const out = await fetch(`${other.url}/admin/logout`, { headers: { cookie: signedIn.cookie }, redirect: 'manual' });
    expect(out.status).toBe(302);
    expect((await fetch(`${restarted.url}${LIST}`, { headers: { cookie: signedIn.cookie } })).status).toBe(401);
  }, 180_000);

  it('counts failed sign-ins of every instance: the sixth for an e-mail is refused wherever it arrives', async () => {
    const [first, second] = servers.filter((server) => server.child.exitCode === null && server.child.signalCode === null);
    for (let i = 0; i < 5; i++) {
      const failed = await signInRequest(i % 2 ? first.url : second.url, ADMIN.email, 'not the password at all');
      expect(failed.status).toBe(200);
    }
    const refused = await signInRequest(first.url, ADMIN.email, ADMIN.password);
    expect(refused.status).toBe(429);
    expect(await refused.text()).toContain('Too many failed sign-ins');
    expect((await signInRequest(second.url, ADMIN.email, ADMIN.password)).status).toBe(429);
  }, 60_000);
});
