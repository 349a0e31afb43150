import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { EntityManager, MikroORM } from '@mikro-orm/core';
import { Inject, Injectable, Logger, OnModuleInit, Type } from '@nestjs/common';
import { HttpAdapterHost, ModuleRef } from '@nestjs/core';
import { PROVIDER_REGISTRY, ProviderRegistry } from '@paymux/payments';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiKeyService } from '../api-keys/api-key.service';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { ProductsService } from '../products/products.service';
import { canAccess, dashboardSections, panelTarget } from './admin-access';
import { forbiddenPage } from './forbidden-page';
import { RESOURCE_LABELS } from './resource-labels';
import { adminBundleFile, panelAssetsDir, registerComponents } from './admin-bundle';
import { adminResources } from './admin-resources';
import { RefundsService } from '../refunds/refunds.service';
import { withRefunds } from './refund-resources';
import { AdminSessionStore } from './admin-session-store';
import { AdminUsersService } from './admin-users.service';
import { AdminJsInstance, loadAdminJs } from './adminjs-loader';
import { computeDashboard } from './dashboard';
import { CaptureHolds } from '../sessions/capture-holds';
import { EventsService } from '../notifications/events.service';
import { JobsService } from '../jobs/jobs.service';
import { SessionsService } from '../sessions/sessions.service';
import { LoginThrottle } from './login-throttle';
import { addPanelStyles, chooseEncoding, IMMUTABLE, loadPanelAssets, PanelAsset, productionAssetSources, rewritePanelHtml } from './panel-assets';

export const ADMIN_ROOT = '/admin';
const LOGIN_PATH = `${ADMIN_ROOT}/login`;
const LOGOUT_PATH = `${ADMIN_ROOT}/logout`;
const SESSION_HOURS = 8;
const SYSTEM_FONTS = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';

/** What the session keeps about the signed-in user (AdminJS's `currentAdmin`). */
export interface PanelUser {
  id: string;
  email: string;
  role: string;
  title: string;
}

interface PanelSession {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
  destroy(): Promise<void>;
  regenerate(keys?: string[]): Promise<void>;
}

type PanelRequest = FastifyRequest & { session?: PanelSession };

/**
 * Mounts AdminJS at /admin on the application's own Fastify server, in an encapsulated Fastify
 * context: its cookie, session, form and multipart plugins and its hooks apply to the panel's
 * routes only, never to the API.
 */
@Injectable()
export class AdminPanel implements OnModuleInit {
  private readonly logger = new Logger('admin');

  constructor(
    private readonly httpAdapterHost: HttpAdapterHost,
    private readonly moduleRef: ModuleRef,
    private readonly orm: MikroORM,
    private readonly em: EntityManager,
    private readonly products: ProductsService,
    private readonly apiKeys: ApiKeyService,
    private readonly adminUsers: AdminUsersService,
    private readonly throttle: LoginThrottle,
    private readonly sessionStore: AdminSessionStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    if (!existsSync(adminBundleFile())) {
      const problem = `the admin panel's component bundle is missing (${adminBundleFile()}): run "npm run build"`;
      if (this.config.production) throw new Error(`paymux: ${problem}`);
      this.logger.warn(`${problem}; it will be bundled on the first visit`);
    }
    const { adminjs, fastify: adminFastify } = await loadAdminJs();
    const componentLoader = new adminjs.ComponentLoader();
    const components = registerComponents(componentLoader);
    const admin = new adminjs.default({
      rootPath: ADMIN_ROOT,
      loginPath: LOGIN_PATH,
      logoutPath: LOGOUT_PATH,
      componentLoader,
      resources: adminResources({
        orm: this.orm,
        products: this.products,
        apiKeys: this.apiKeys,
        adminUsers: this.adminUsers,
        sessionActions: () => this.provided(SessionsService),
        jobActions: () => this.provided(JobsService),
        eventActions: () => this.provided(EventsService),
        cancelsAtProvider: (provider) => {
          const registry = this.provided<ProviderRegistry>(PROVIDER_REGISTRY);
          return registry?.has(provider) ? registry.get(provider).capabilities.cancel : null;
        },
        components,
        // Refunds: their resource, and the Refund action on sessions.
        extend: (resources) => withRefunds(resources, {
          orm: this.orm,
          component: components.SessionRefund,
          refunds: () => this.provided(RefundsService),
          refundsSupported: (provider) => {
            const registry = this.provided<ProviderRegistry>(PROVIDER_REGISTRY);
            return !!registry?.has(provider) && registry.get(provider).capabilities.refunds === true;
          },
        }),
      }),
      dashboard: {
        component: components.Dashboard,
        handler: async (_request, _response, context) => {
          const data = await computeDashboard(
            this.em, this.config.jobs.intervals, new Date(), { rules: this.config.routingRules, providersOrder: this.config.providersOrder },
            dashboardSections(context.currentAdmin?.role),
          );
          // Uncaptured holds lapse at the provider: every role that captures or watches sees them.
          const holds = await this.provided(CaptureHolds)?.counts();
          if (holds && holds.awaiting_capture > 0) data.holds = { ...holds, warningSeconds: this.config.captureWarningSeconds };
          return data;
        },
      },
      // System fonts: the panel loads nothing from off the machine (the Google Fonts link AdminJS
      // writes is dropped from every page, see rewritePanelHtml).
      branding: { companyName: 'paymux', withMadeWithLove: false, logo: false, theme: { font: SYSTEM_FONTS } },
      locale: {
        language: 'en',
        availableLanguages: ['en'],
        translations: {
          en: {
            labels: { ...RESOURCE_LABELS },
            components: {
              Login: {
                welcomeHeader: 'paymux',
                welcomeMessage: 'Payments admin: products, customers and payment sessions across your providers, notifications and scheduled jobs.',
              },
            },
            resources: {
              Product: { properties: { spayonProductId: 'Spayon marketplace product id' } },
              Session: { actions: { sync: 'Sync with provider', cancel: 'Cancel session', refund: 'Refund' } },
              JobState: { actions: { pause: 'Pause', resume: 'Resume', runNow: 'Run now' } },
              Event: { actions: { redeliver: 'Redeliver' } },
              ApiKey: { actions: { new: 'Create API key', revoke: 'Revoke' } },
            },
          },
        },
      },
    });

    const assets = loadPanelAssets(productionAssetSources(adminjs.Router.assets, adminBundleFile()), panelAssetsDir());
    const fastify = this.httpAdapterHost.httpAdapter.getInstance<FastifyInstance>();
    // Not awaited: awaiting would set up the API's routes now, with Fastify's default error
    // handler instead of the API's (body-parsing errors would leave in Fastify's shape).
    void fastify.register(async (scope) => {
      scope.addHook('onRequest', async (request, reply) => {
        const [path, query = ''] = request.url.split('?');
        const asset = request.method === 'GET' || request.method === 'HEAD' ? assets.get(path.slice(ADMIN_ROOT.length)) : undefined;
        if (asset && path.startsWith(ADMIN_ROOT)) return sendAsset(request, reply, asset, new URLSearchParams(query).get('v'));
      });
      scope.addHook('onSend', async (_request, reply, payload) => {
        const type = String(reply.getHeader('content-type') ?? '');
        return typeof payload === 'string' && type.startsWith('text/html') ? addPanelStyles(rewritePanelHtml(payload, ADMIN_ROOT, assets)) : payload;
      });
      scope.setErrorHandler((error: Error & { statusCode?: number }, request, reply) => {
        const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
        if (status === 500) this.logger.error(`${request.method} ${request.url} failed: ${error.stack ?? error.message}`);
        void reply.status(status).send({ error: status === 500 ? 'Internal error' : error.message });
      });
      // The app's form parser (Nest's, kept for raw bodies) gives way to the panel's own in here.
      scope.removeContentTypeParser('application/x-www-form-urlencoded');
      scope.addHook('preHandler', (request, reply) => this.guard(request as PanelRequest, reply, admin));
      await adminFastify.buildAuthenticatedRouter(
        admin,
        {
          authenticate: (email, password, context) => this.authenticate(email, password, context?.request as PanelRequest | undefined),
          cookieName: 'paymux_admin',
          cookiePassword: this.sessionSecret(),
        },
        scope,
        {
          saveUninitialized: false,
          // In the database: any instance serves a signed-in user, and a restart signs nobody out.
          store: this.sessionStore,
          cookie: {
            path: ADMIN_ROOT,
            httpOnly: true,
            sameSite: 'lax',
            secure: this.config.production,
            maxAge: SESSION_HOURS * 3600 * 1000,
          },
        },
      );
    });
  }

  /**
   * In front of every panel route: refuses cross-site calls to the panel's API, rate-limits
   * login attempts, re-reads the signed-in user (a disabled or deleted user is signed out at
   * once, a changed role applies at once) and answers 401/403 from ADMIN_ACCESS before AdminJS
   * runs anything. An answer is returned, not only sent: the session store is asynchronous, so
   * the answer is not finished when this hook resolves, and Fastify must not run the route too.
   */
  private async guard(request: PanelRequest, reply: FastifyReply, admin: AdminJsInstance): Promise<FastifyReply | undefined> {
    const path = request.url.split('?')[0];
    if (path.startsWith(`${ADMIN_ROOT}/frontend/assets/`)) return undefined;
    const api = path.startsWith(`${ADMIN_ROOT}/api/`);
    const site = request.headers['sec-fetch-site'];
    if ((api || request.method !== 'GET') && typeof site === 'string' && !['same-origin', 'none'].includes(site)) {
      return reply.status(403).send({ error: 'Cross-site requests to the admin panel are refused' });
    }
    if (path === LOGIN_PATH && request.method === 'POST') {
      const email = loginEmail(request.body);
      if (await this.throttle.isBlocked(email, request.ip)) {
        const page = await admin.renderLogin({ action: LOGIN_PATH, errorMessage: 'Too many failed sign-ins. Try again in 15 minutes.' });
        return reply.status(429).type('text/html').send(page);
      }
      return undefined;
    }
    if (path === LOGIN_PATH || path === LOGOUT_PATH) return undefined;

    const session = request.session;
    const stored = session?.get('adminUser') as PanelUser | undefined;
    let user: PanelUser | null = null;
    if (stored?.id) {
      const current = await this.adminUsers.find(stored.id);
      if (!current || current.disabled) {
        await session!.destroy();
      } else {
        user = { id: current.id, email: current.email, role: current.role, title: current.role };
        if (user.role !== stored.role || user.email !== stored.email) session!.set('adminUser', user);
      }
    }
    if (!user) {
      if (api) return reply.status(401).send({ error: 'Sign in at /admin/login first' });
      return reply.redirect(LOGIN_PATH);
    }
    const target = panelTarget(ADMIN_ROOT, path);
    if (target && !canAccess(user.role, target.resourceId, target.action)) {
      const message = `The ${user.role} role may not use ${target.action || 'this route'} on ${target.resourceId}`;
      if (api) return reply.status(403).send({ error: message });
      return reply.status(403).type('text/html; charset=utf-8').send(forbiddenPage(ADMIN_ROOT, user, target));
    }
    return undefined;
  }

  private async authenticate(email: string, password: string, request: PanelRequest | undefined): Promise<PanelUser | null> {
    const ip = request?.ip ?? 'unknown';
    if (typeof email !== 'string' || typeof password !== 'string') return null;
    const user = await this.adminUsers.authenticate(email, password);
    if (!user) {
      await this.throttle.recordFailure(email, ip);
      this.logger.warn(`failed admin sign-in from ${ip}`);
      return null;
    }
    await this.throttle.recordSuccess(email, ip);
    // A new session id at sign-in: a session id planted before sign-in is worth nothing after.
    await request?.session?.regenerate();
    return { id: user.id, email: user.email, role: user.role, title: user.role };
  }

  /** A service another module provides for the panel's record actions, or null while none does. */
  private provided<T>(service: Type<T> | symbol): T | null {
    try {
      return this.moduleRef.get(service, { strict: false });
    } catch {
      return null;
    }
  }

  /**
   * ADMIN_SESSION_SECRET signs the session cookie (required in production by the config); every
   * instance needs the same one. Elsewhere, without one, a random secret per start: sessions end
   * on restart, and only one instance can serve a signed-in user.
   */
  private sessionSecret(): string {
    const secret = this.config.admin.sessionSecret;
    if (secret === null) return randomBytes(32).toString('hex');
    // The session plugin wants at least 32 characters; a shorter development secret is stretched.
    return secret.length >= 32 ? secret : createHash('sha256').update(secret).digest('hex');
  }
}

/**
 * A bundle, compressed for the browser: cached for a year when asked for by its current content
 * hash, revalidated (ETag) otherwise, so an old URL never pins an old bundle.
 */
function sendAsset(request: FastifyRequest, reply: FastifyReply, asset: PanelAsset, version: string | null): FastifyReply {
  const etag = `"${asset.hash}"`;
  reply.header('Cache-Control', version === asset.hash ? IMMUTABLE : 'no-cache').header('ETag', etag).header('Vary', 'Accept-Encoding');
  if (request.headers['if-none-match'] === etag) return reply.status(304).send();
  const encoding = chooseEncoding(request.headers['accept-encoding']);
  const body = encoding === 'br' ? asset.br : encoding === 'gzip' ? asset.gzip : asset.identity;
  if (encoding) reply.header('Content-Encoding', encoding);
  return reply.type(asset.type).header('Content-Length', body.length).send(body);
}

function loginEmail(body: unknown): string {
  const email = body && typeof body === 'object' ? (body as Record<string, unknown>).email : undefined;
  return typeof email === 'string' ? email : '';
}
