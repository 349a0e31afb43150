import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { BuiltServer, startBuiltServer } from '../support/built-server';
import { TEST_API_KEY } from '../support/app';
import { waitFor } from '../support/wait';
import { followReturn } from '../support/buyer-return';

/**
 * A provider is one folder: scaffolding a fourth (`scripts/add-provider.js`) in a copy of this
 * checkout adds its library, its folder and one line of the provider list — nothing else — and
 * the built application then serves it, simulator and all, through the same API.
 */
const ROOT = join(__dirname, '..', '..');
const git = (cwd: string, ...args: string[]) => execFileSync('git', ['-c', 'user.email=ci@paymux.test', '-c', 'user.name=ci', ...args], { cwd, encoding: 'utf8' });

describe('adding a fourth provider', () => {
  let copy: string;
  let server: BuiltServer | undefined;

  beforeAll(() => {
    copy = mkdtempSync(join(tmpdir(), 'paymux-add-provider-'));
    // This checkout's files as they are (committed or not), without what git ignores.
    const files = git(ROOT, 'ls-files', '--cached', '--others', '--exclude-standard', '-z').split('\0').filter(Boolean);
    for (const file of files) {
      mkdirSync(dirname(join(copy, file)), { recursive: true });
      try {
        cpSync(join(ROOT, file), join(copy, file));
      } catch {
        // a file deleted in the working tree but still in the index
      }
    }
    symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'));
    git(copy, 'init', '-q');
    git(copy, 'add', '-A');
    git(copy, 'commit', '-q', '-m', 'before');
  });
  afterAll(async () => {
    await server?.stop();
    rmSync(copy, { recursive: true, force: true });
  });

  it('changes only the new library, the new folder and one line of the provider list', () => {
    const printed = execFileSync(process.execPath, [join(copy, 'scripts', 'add-provider.js'), 'acme', 'Acme Pay'], { cwd: copy, encoding: 'utf8' });
    expect(printed).toContain('added provider acme (Acme Pay)');
    const changed = git(copy, 'status', '--porcelain', '--untracked-files=all').split('\n').filter(Boolean);
    expect(changed.filter((line) => !/^\?\? (libs\/acme\/|src\/providers\/acme\/)/.test(line))).toEqual([' M src/providers/provider-list.ts']);
    expect(changed.length).toBeGreaterThan(3);
    expect(git(copy, 'diff', '--numstat', 'src/providers/provider-list.ts').trim()).toBe('1\t0\tsrc/providers/provider-list.ts');
    expect(git(copy, 'diff', '-U0', 'src/providers/provider-list.ts')).toMatch(/^\+ {2}'acme',$/m);
  });

  it('a second scaffold of the same name is refused, changing nothing', () => {
    let status = 0;
    try {
      execFileSync(process.execPath, [join(copy, 'scripts', 'add-provider.js'), 'acme'], { cwd: copy, stdio: 'pipe' });
    } catch (error) {
      status = (error as { status: number }).status;
    }
    expect(status).toBe(2);
  });

  it('the app builds and boots with it: a session at the new provider is paid on its simulator and succeeds', async () => {
    execFileSync(process.execPath, [join(copy, 'node_modules', '@nestjs', 'cli', 'bin', 'nest.js'), 'build'], { cwd: copy, stdio: 'pipe' });
    server = await startBuiltServer({ BOOTSTRAP_API_KEY: TEST_API_KEY, ADMIN_ENABLED: 'false', JOBS_ENABLED: 'false' }, undefined, copy);
    const api = (path: string, init: RequestInit = {}) => fetch(`${server!.url}${path}`, { ...init, headers: { authorization: `Bearer ${TEST_API_KEY}`, 'content-type': 'application/json', ...(init.headers ?? {}) } });

    const created = await api('/v1/sessions', { method: 'POST', body: JSON.stringify({ provider: 'acme', amount: 1250, currency: 'USD', description: 'Order 7', return_url: 'https://shop.example/back' }) });
    expect(created.status).toBe(201);
    const session = (await created.json()) as { id: string; provider: string; status: string; redirect_url: string; provider_session_id: string };
    expect(session).toMatchObject({ provider: 'acme', status: 'open', redirect_url: expect.stringContaining(`${server.url}/simulators/acme/pay/`) });

    const page = await fetch(session.redirect_url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Acme Pay');
    const paid = await fetch(`${session.redirect_url}/pay`, { method: 'POST', redirect: 'manual' });
    expect(paid.status).toBe(303);
    // The new provider sends the buyer to paymux's return relay, like every provider.
    expect(paid.headers.get('location')).toBe(`${server.url}/v1/return/${session.id}`);

    // The simulator's signed callback reaches paymux's one webhook route and settles the session.
    await waitFor(async () => ((await (await api(`/v1/sessions/${session.id}`)).json()) as { status: string }).status === 'succeeded', 10_000);
    expect(await followReturn(server.url, session.id, paid.headers.get('location')!)).toBe(`https://shop.example/back?paymux_session_id=${session.id}`);
    // A callback with a bad signature is refused as for every provider.
    const forged = await fetch(`${server.url}/v1/webhooks/acme`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-acme-signature': 'bad' }, body: '{}' });
    expect(forged.status).toBe(401);
    // The provider is listed where providers are: the OpenAPI enum of the request.
    const docs = (await (await fetch(`${server.url}/docs/openapi.json`)).json()) as { components: { schemas: { CreateSessionDto: { properties: { provider: { enum: string[] } } } } } };
    expect(docs.components.schemas.CreateSessionDto.properties.provider.enum).toEqual(['spayon', 'smart_glocal', 'komoju', 'acme']);
  }, 240_000);
});
