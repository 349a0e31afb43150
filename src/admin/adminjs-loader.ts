import { adminBundleDir } from './admin-bundle';

/**
 * AdminJS 7 and its plugins are ES modules only; this app is CommonJS. A real dynamic import
 * that TypeScript leaves alone loads them (TypeScript would rewrite `import()` to `require()`).
 */
const esmImport = new Function('specifier', 'return import(specifier)') as <T>(specifier: string) => Promise<T>;

export type AdminJsModule = typeof import('adminjs');
type AdminJsDefault = AdminJsModule['default'];
export type AdminJsInstance = InstanceType<AdminJsDefault>;

export interface AuthenticatedRouterOptions {
  authenticate(email: string, password: string, context?: { request: unknown; reply: unknown }): Promise<object | null>;
  cookiePassword: string;
  cookieName: string;
}

export interface AdminJsFastifyModule {
  buildAuthenticatedRouter(admin: AdminJsInstance, auth: AuthenticatedRouterOptions, fastify: unknown, sessionOptions: Record<string, unknown>): Promise<void>;
}

interface MikroOrmAdapterModule {
  Database: unknown;
  Resource: unknown;
}

export interface AdminJsRuntime {
  adminjs: AdminJsModule;
  fastify: AdminJsFastifyModule;
}

let loaded: Promise<AdminJsRuntime> | null = null;

/**
 * Loads AdminJS once per process. The modules are imported one after another (importing them
 * in parallel breaks under some ESM loaders), and AdminJS reads where its component bundle is
 * from the environment when its module is first evaluated, so that is set just before: the
 * bundle prebuilt by `npm run build`, never bundled at start-up.
 */
export function loadAdminJs(): Promise<AdminJsRuntime> {
  loaded ??= (async () => {
    process.env.ADMIN_JS_TMP_DIR = adminBundleDir();
    process.env.ADMIN_JS_SKIP_BUNDLE = 'true';
    const adminjs = await esmImport<AdminJsModule>('adminjs');
    const adapter = await esmImport<MikroOrmAdapterModule>('@adminjs/mikroorm');
    const fastify = await esmImport<AdminJsFastifyModule>('@adminjs/fastify');
    adminjs.default.registerAdapter(adapter as Parameters<AdminJsDefault['registerAdapter']>[0]);
    return { adminjs, fastify };
  })();
  return loaded;
}
