import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BrowserContext, chromium, Page } from 'playwright-core';

/** The admin panel over plain HTTP, signed in as one user (its session cookie). */
export class AdminClient {
  private constructor(
    readonly baseUrl: string,
    readonly cookie: string,
  ) {}

  static async signIn(baseUrl: string, email: string, password: string): Promise<AdminClient> {
    const res = await signInRequest(baseUrl, email, password);
    const cookie = (res.headers.getSetCookie() ?? []).map((line) => line.split(';')[0]).find((pair) => pair.startsWith('paymux_admin='));
    if (res.status !== 302 || res.headers.get('location') !== '/admin' || !cookie) {
      throw new Error(`sign-in as ${email} failed: ${res.status} ${res.headers.get('location')}`);
    }
    return new AdminClient(baseUrl, cookie);
  }

  get(path: string): Promise<Response> {
    return fetch(`${this.baseUrl}${path}`, { headers: { cookie: this.cookie }, redirect: 'manual' });
  }

  post(path: string, fields: Record<string, string>): Promise<Response> {
    const form = new FormData();
    for (const [key, value] of Object.entries(fields)) form.set(key, value);
    return fetch(`${this.baseUrl}${path}`, { method: 'POST', body: form, headers: { cookie: this.cookie }, redirect: 'manual' });
  }

  /** Creates an admin user through the panel's own form action (so with a hashed password). */
  async createUser(email: string, password: string, role: string): Promise<string> {
    const res = await this.post('/admin/api/resources/AdminUser/actions/new', { email, password, role });
    const body = (await res.json()) as { record?: { id?: string; errors?: object } };
    if (res.status !== 200 || !body.record?.id) throw new Error(`creating ${email} failed: ${res.status} ${JSON.stringify(body)}`);
    return body.record.id;
  }
}

export function signInRequest(baseUrl: string, email: string, password: string): Promise<Response> {
  return fetch(`${baseUrl}/admin/login`, {
    method: 'POST',
    body: new URLSearchParams({ email, password }),
    redirect: 'manual',
  });
}

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Debian's chromium, headless, on a fresh profile, driven by playwright-core (which downloads
 * no browser of its own).
 */
export async function launchChromium(): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`The admin panel's browser tests need Chromium at ${CHROMIUM}: install it with "apt-get install -y chromium" (or set CHROMIUM_PATH).`);
  }
  const profile = mkdtempSync(join(tmpdir(), 'paymux-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1400, height: 900 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
  // The tests run offline: a request off the machine is aborted rather than left to time out.
  await context.route(/^https?:\/\/(?!127\.0\.0\.1)/, (route) => route.abort());
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Signs `page` in on the panel's sign-in page and waits for the dashboard. */
export async function signInPage(page: Page, baseUrl: string, email: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/admin/login`);
  await page.fill('input[name="email"]', email);
  await page.fill('input[name="password"]', password);
  await Promise.all([page.waitForURL(`${baseUrl}/admin`), page.getByRole('button', { name: 'Login' }).click()]);
}
