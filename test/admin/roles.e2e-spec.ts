import { AdminClient, signInRequest } from '../support/admin-client';
import { BuiltServer, startBuiltServer } from '../support/built-server';
import { Receiver, startReceiver } from '../support/notifications';

const API_KEY = 'pmx_admin_roles_test_key_0123456789abcdef';
const PASSWORD = 'role-test-password-123';
const ROLES = ['admin', 'merchant', 'operator'] as const;
type Role = (typeof ROLES)[number];

/**
 * The role matrix of the admin panel, written out as the specification says it (not read from
 * the code's table): A = admin, M = merchant, O = operator; every pair not listed is refused.
 */
const ALLOWED: Record<string, Record<string, string>> = {
  Product: { list: 'AM', show: 'AM', search: 'AM', new: 'AM', edit: 'AM', delete: 'AM' },
  Customer: { list: 'AM', show: 'AM', search: 'AM' },
  Session: { list: 'AMO', show: 'AMO', search: 'AMO', sync: 'AM', cancel: 'AM', refund: 'AM' },
  Refund: { list: 'AMO', show: 'AMO', search: 'AMO' },
  SessionEvent: { list: 'AMO', show: 'AMO', search: 'AMO' },
  InboundWebhook: { list: 'AO', show: 'AO', search: 'AO' },
  JobRun: { list: 'AO', show: 'AO', search: 'AO' },
  JobState: { list: 'AO', show: 'AO', search: 'AO', pause: 'AO', resume: 'AO', runNow: 'AO' },
  Event: { list: 'AMO', show: 'AMO', search: 'AMO', redeliver: 'AO' },
  Delivery: { list: 'AMO', show: 'AMO', search: 'AMO' },
  DeliveryAttempt: { list: 'AMO', show: 'AMO', search: 'AMO' },
  WebhookEndpoint: { list: 'A', show: 'A', search: 'A' },
  ApiKey: { list: 'A', show: 'A', search: 'A', new: 'A', revoke: 'A' },
  AdminUser: { list: 'A', show: 'A', search: 'A', new: 'A', edit: 'A', delete: 'A' },
};
const RECORD_ACTIONS = ['show', 'edit', 'delete', 'sync', 'cancel', 'refund', 'revoke', 'pause', 'resume', 'runNow', 'redeliver'];
const ACTIONS = ['list', 'search', 'new', 'bulkDelete', ...RECORD_ACTIONS];

const cases = Object.keys(ALLOWED).flatMap((resource) =>
  ROLES.flatMap((role) =>
    ACTIONS.map((action) => ({ role, resource, action, allowed: (ALLOWED[resource][action] ?? '').includes(role[0].toUpperCase()) })),
  ),
);

interface JobJson {
  name: string;
  paused: boolean;
  last_run: { status: string; examined: number; changed: number } | null;
}
interface DeliveryJson {
  state: string;
  attempt_count: number;
  delivered_at: string | null;
  attempts: unknown[];
}

jest.setTimeout(180_000);

describe('admin panel roles, over HTTP against the built server', () => {
  let server: BuiltServer;
  const clients = {} as Record<Role, AdminClient>;
  let owner: AdminClient;

  beforeAll(async () => {
    server = await startBuiltServer({ ADMIN_EMAIL: 'owner@example.com', ADMIN_PASSWORD: PASSWORD, BOOTSTRAP_API_KEY: API_KEY });
    owner = await AdminClient.signIn(server.url, 'owner@example.com', PASSWORD);
    for (const role of ROLES) {
      await owner.createUser(`${role}@example.com`, PASSWORD, role);
      clients[role] = await AdminClient.signIn(server.url, `${role}@example.com`, PASSWORD);
    }
  });

  afterAll(async () => {
    await server?.stop();
  });

  /** A record the action may use up (delete, revoke) or look at; sessions and job records need none to be judged. */
  async function recordFor(resource: string): Promise<string> {
    const api = (path: string, body: object) =>
      fetch(`${server.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const take = async (res: Response) => String(((await res.json()) as { id: string | number }).id);
    switch (resource) {
      case 'Product':
        return take(await api('/v1/products', { name: 'Role test', amount: 1000, currency: 'USD' }));
      case 'Customer':
        return take(await api('/v1/customers', { email: 'buyer@example.com' }));
      case 'ApiKey': {
        const res = await owner.post('/admin/api/resources/ApiKey/actions/new', { name: 'role test' });
        return ((await res.json()) as { record: { id: string } }).record.id;
      }
      case 'AdminUser':
        return owner.createUser(`user-${Date.now()}-${Math.random().toString(36).slice(2)}@example.com`, PASSWORD, 'merchant');
      default:
        return 'missing_record';
    }
  }

  function actionPath(resource: string, action: string, recordId: string): string {
    if (RECORD_ACTIONS.includes(action)) return `/admin/api/resources/${resource}/records/${recordId}/${action}`;
    if (action === 'bulkDelete') return `/admin/api/resources/${resource}/bulk/bulkDelete?recordIds=${recordId}`;
    if (action === 'search') return `/admin/api/resources/${resource}/actions/search/x`;
    return `/admin/api/resources/${resource}/actions/${action}`;
  }

  it.each(cases)('$role on $resource/$action: allowed=$allowed', async ({ role, resource, action, allowed }) => {
    const recordId = await recordFor(resource);
    const res = await clients[role].get(actionPath(resource, action, recordId));
    if (allowed) {
      // Allowed: AdminJS runs the action (and answers a record it cannot find with an error notice).
      expect(res.status).toBe(200);
    } else {
      expect(res.status).toBe(403);
    }
  });

  it.each(Object.keys(ALLOWED))('without signing in, the %s API answers 401 and its page redirects to the login', async (resource) => {
    const api = await fetch(`${server.url}/admin/api/resources/${resource}/actions/list`, { redirect: 'manual' });
    expect(api.status).toBe(401);
    const page = await fetch(`${server.url}/admin/resources/${resource}`, { redirect: 'manual' });
    expect(page.status).toBe(302);
    expect(page.headers.get('location')).toBe('/admin/login');
  });

  it.each(Object.keys(ALLOWED))('the %s page opens for an admin', async (resource) => {
    const page = await owner.get(`/admin/resources/${resource}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
  });

  it('a merchant creating an admin user through the form action is refused and nothing is created', async () => {
    const res = await clients.merchant.post('/admin/api/resources/AdminUser/actions/new', { email: 'sneaky@example.com', password: PASSWORD, role: 'admin' });
    expect(res.status).toBe(403);
    expect((await signInRequest(server.url, 'sneaky@example.com', PASSWORD)).status).toBe(200);
  });

  it('a role change applies to the signed-in session at once', async () => {
    const id = await owner.createUser('promoted@example.com', PASSWORD, 'merchant');
    const promoted = await AdminClient.signIn(server.url, 'promoted@example.com', PASSWORD);
    expect((await promoted.get('/admin/api/resources/AdminUser/actions/list')).status).toBe(403);
    expect((await owner.post(`/admin/api/resources/AdminUser/records/${id}/edit`, { role: 'admin' })).status).toBe(200);
    expect((await promoted.get('/admin/api/resources/AdminUser/actions/list')).status).toBe(200);
    expect((await owner.post(`/admin/api/resources/AdminUser/records/${id}/edit`, { disabled: 'true' })).status).toBe(200);
    expect((await promoted.get('/admin/api/resources/Product/actions/list')).status).toBe(401);
  });

  it('the session cookie is signed, HttpOnly, SameSite=Lax and scoped to /admin', async () => {
    const res = await signInRequest(server.url, 'owner@example.com', PASSWORD);
    const cookie = res.headers.getSetCookie().find((line) => line.startsWith('paymux_admin='))!;
    expect(cookie).toMatch(/^paymux_admin=[^.;]+\.[^;]+;/);
    expect(cookie).toMatch(/; HttpOnly/i);
    expect(cookie).toMatch(/; SameSite=Lax/i);
    expect(cookie).toMatch(/; Path=\/admin/i);
  });

  it('admin users and API keys never carry their hashes', async () => {
    const users = await (await owner.get('/admin/api/resources/AdminUser/actions/list?perPage=500')).text();
    const keys = await (await owner.get('/admin/api/resources/ApiKey/actions/list?perPage=500')).text();
    expect(users).toContain('owner@example.com');
    expect(users).not.toMatch(/passwordHash|scrypt\$/);
    expect(keys).toContain('bootstrap');
    expect(keys).not.toMatch(/"hash"/);
  });

  it('cross-site calls to the panel API are refused', async () => {
    const res = await fetch(`${server.url}/admin/api/resources/Product/actions/list`, { headers: { cookie: owner.cookie, 'sec-fetch-site': 'cross-site' } });
    expect(res.status).toBe(403);
  });

  describe('job and event actions call the services, as the REST API shows', () => {
    let receiver: Receiver;
    const rest = async <T = { id: string }>(method: 'GET' | 'POST', path: string, body?: object): Promise<T> => {
      const res = await fetch(`${server.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${API_KEY}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      expect(res.status).toBeLessThan(300);
      return (await res.json()) as T;
    };
    const job = async (name: string) => (await rest<{ data: JobJson[] }>('GET', '/v1/jobs')).data.find((item) => item.name === name)!;
    const eventOf = (id: string) => rest<{ deliveries: DeliveryJson[] }>('GET', `/v1/events/${id}`);
    /** What the panel's confirm button does: a POST of the record action, answered with a notice. */
    const act = async (client: AdminClient, path: string) => {
      const res = await client.post(path, {});
      expect(res.status).toBe(200);
      return ((await res.json()) as { notice: { type: string; message: string } }).notice;
    };

    beforeAll(async () => (receiver = await startReceiver()));
    afterAll(() => receiver?.close());

    it('an operator pauses, runs now and resumes the delivery job, and redelivers an event', async () => {
      // One event with one delivery: a cancelled session, sent to a merchant endpoint.
      await rest('POST', '/v1/webhook-endpoints', { url: `${receiver.url}/hook` });
      const session = await rest('POST', '/v1/sessions', {
        provider: 'spayon', amount: 500000, currency: 'AMD', description: 'Order #1', return_url: 'https://shop.example/thanks', order_id: 'ORDER_1',
      });
      await rest('POST', `/v1/sessions/${session.id}/cancel`);
      const [event] = (await rest<{ data: Array<{ id: string; type: string }> }>('GET', `/v1/events?session_id=${session.id}`)).data;
      expect(event.type).toBe('session.cancelled');
      expect((await eventOf(event.id)).deliveries).toEqual([expect.objectContaining({ state: 'pending', attempt_count: 0 })]);

      const jobPath = (action: string) => `/admin/api/resources/JobState/records/deliver-notifications/${action}`;
      expect((await job('deliver-notifications')).paused).toBe(false);
      expect(await act(clients.operator, jobPath('pause'))).toMatchObject({ type: 'success' });
      expect((await job('deliver-notifications')).paused).toBe(true);
      const shownJob = (await (await clients.operator.get(jobPath('show'))).json()) as { record: { recordActions: Array<{ name: string }> } };
      expect(shownJob.record.recordActions.map((action) => action.name).sort()).toEqual(['resume', 'runNow', 'show']);

      // Run now runs a paused job too, and the run is the job's last run.
      expect(await act(clients.operator, jobPath('runNow'))).toMatchObject({ type: 'success' });
      expect((await job('deliver-notifications')).last_run).toMatchObject({ status: 'succeeded', examined: 1, changed: 1 });
      expect(receiver.requests.map((request) => request.path)).toEqual(['/hook']);
      const delivered = await eventOf(event.id);
      expect(delivered.deliveries).toEqual([expect.objectContaining({ state: 'delivered', attempt_count: 1 })]);

      expect(await act(clients.admin, jobPath('resume'))).toMatchObject({ type: 'success' });
      expect((await job('deliver-notifications')).paused).toBe(false);

      // Redeliver: the delivery is pending again, due now; its attempts are kept.
      expect(await act(clients.operator, `/admin/api/resources/Event/records/${event.id}/redeliver`)).toMatchObject({ type: 'success' });
      const redelivered = await eventOf(event.id);
      expect(redelivered.deliveries).toEqual([expect.objectContaining({ state: 'pending', attempt_count: 1, delivered_at: delivered.deliveries[0].delivered_at })]);
      expect(redelivered.deliveries[0].attempts).toHaveLength(1);
      expect((await clients.merchant.post(`/admin/api/resources/Event/records/${event.id}/redeliver`, {})).status).toBe(403);

      // The event's page shows its payload, the session as it was sent.
      const shown = (await (await clients.merchant.get(`/admin/api/resources/Event/records/${event.id}/show`)).json()) as { record: { params: { payload: string } } };
      expect(JSON.parse(shown.record.params.payload)).toMatchObject({ id: event.id, type: 'session.cancelled', data: { object: { id: session.id, status: 'cancelled' } } });
    });

    it('a GET of an action with a side effect changes nothing: only the POST of its confirm button does', async () => {
      const session = await rest('POST', '/v1/sessions', {
        provider: 'spayon', amount: 100000, currency: 'AMD', description: 'Order #GET', return_url: 'https://shop.example/thanks', order_id: 'ORDER_GET',
      });
      const status = async () => (await rest<{ status: string }>('GET', `/v1/sessions/${session.id}`)).status;
      const before = await status();
      const asked = await owner.get(`/admin/api/resources/Session/records/${session.id}/cancel`);
      expect(asked.status).toBe(200);
      const body = (await asked.json()) as { notice?: unknown; record: { confirmation: { confirmLabel: string; keepLabel: string; note: string } } };
      expect(body.notice).toBeUndefined();
      expect(body.record.confirmation).toMatchObject({ confirmLabel: 'Cancel session', keepLabel: 'Keep session', note: expect.stringContaining('cancelled in paymux only') });
      expect(await status()).toBe(before);
      for (const action of ['pause', 'runNow']) {
        expect((await owner.get(`/admin/api/resources/JobState/records/expire-sessions/${action}`)).status).toBe(200);
      }
      expect((await job('expire-sessions')).paused).toBe(false);
      expect((await job('expire-sessions')).last_run).toBeNull();
      const product = await rest<{ id: number }>('POST', '/v1/products', { name: 'Kept by a GET', amount: 1000, currency: 'USD' });
      expect((await owner.get(`/admin/api/resources/Product/records/${product.id}/delete`)).status).toBe(200);
      expect(await rest<{ name: string }>('GET', `/v1/products/${product.id}`)).toMatchObject({ name: 'Kept by a GET' });
      const user = await owner.createUser('kept-by-get@example.com', PASSWORD, 'operator');
      expect((await owner.get(`/admin/api/resources/AdminUser/records/${user}/delete`)).status).toBe(200);
      expect((await signInRequest(server.url, 'kept-by-get@example.com', PASSWORD)).status).toBe(302);

      expect(await act(owner, `/admin/api/resources/Session/records/${session.id}/cancel`)).toMatchObject({ type: 'success', message: 'Session cancelled' });
      expect(await status()).toBe('cancelled');
      // Finished: the panel no longer offers Cancel, and a POST anyway is refused in words.
      const shown = (await (await owner.get(`/admin/api/resources/Session/records/${session.id}/show`)).json()) as { record: { recordActions: Array<{ name: string }> } };
      expect(shown.record.recordActions.map((action) => action.name)).not.toContain('cancel');
      expect(await act(owner, `/admin/api/resources/Session/records/${session.id}/cancel`)).toMatchObject({ type: 'error' });
    });

    it('an unknown job or event answers an error notice and changes nothing', async () => {
      const before = await job('purge-idempotency-keys');
      expect((await clients.operator.post('/admin/api/resources/JobState/records/no-such-job/pause', {})).status).toBe(200);
      expect((await clients.operator.post('/admin/api/resources/Event/records/evt_missing/redeliver', {})).status).toBe(200);
      expect((await job('purge-idempotency-keys')).paused).toBe(before.paused);
    });

    it('webhook endpoints never show their signing secret', async () => {
      const created = await rest<{ id: string; secret: string }>('POST', '/v1/webhook-endpoints', { url: `${receiver.url}/secret-test` });
      expect(created.secret).toEqual(expect.any(String));
      const list = await (await owner.get('/admin/api/resources/WebhookEndpoint/actions/list?perPage=500')).text();
      const show = await (await owner.get(`/admin/api/resources/WebhookEndpoint/records/${created.id}/show`)).text();
      expect(list).toContain(created.id);
      expect(show).toContain('/secret-test');
      for (const text of [list, show]) {
        expect(text).not.toContain(created.secret);
        expect(text).not.toMatch(/"secret"/);
      }
    });
  });

  it('after 5 failed sign-ins for one e-mail from one address, the next is refused for 15 minutes even with the right password', async () => {
    await owner.createUser('locked@example.com', PASSWORD, 'operator');
    for (let attempt = 0; attempt < 5; attempt++) {
      const res = await signInRequest(server.url, 'locked@example.com', 'wrong-password-000');
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('invalidCredentials');
    }
    const blocked = await signInRequest(server.url, 'locked@example.com', PASSWORD);
    expect(blocked.status).toBe(429);
    expect(await blocked.text()).toContain('Too many failed sign-ins');
    expect((await signInRequest(server.url, 'owner@example.com', PASSWORD)).status).toBe(302);
  });
});
