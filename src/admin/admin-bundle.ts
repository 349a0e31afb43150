import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * Where the panel's custom components live and where their browser bundle is written by
 * `npm run build` (scripts/build-admin.js) and read at start-up. The folder has no dot segment:
 * static file serving refuses dot-directories.
 */
export const ADMIN_COMPONENT_FILES = {
  Dashboard: 'dashboard.jsx',
  ApiKeyCreate: 'api-key-create.jsx',
  ConfirmAction: 'confirm-action.jsx',
  DefaultTrueEdit: 'default-true-edit.jsx',
  ShowWithRelated: 'show-with-related.jsx',
  DateTime: 'date-time.jsx',
  RecordLink: 'record-link.jsx',
  SessionRefund: 'session-refund.jsx',
} as const;

export type AdminComponentName = keyof typeof ADMIN_COMPONENT_FILES;
export type AdminComponents = Record<AdminComponentName, string>;

/** The components next to this file: src/admin/components, copied to dist/src/admin/components by the build. */
export function componentPath(name: AdminComponentName): string {
  return join(__dirname, 'components', ADMIN_COMPONENT_FILES[name]);
}

/** AdminJS's own components the panel replaces: the sign-in page (paymux's, without AdminJS's art). */
const OVERRIDDEN_COMPONENT_FILES = { Login: 'login.jsx' } as const;

export function registerComponents(loader: { add(name: string, filePath: string): string; override(name: string, filePath: string): string }): AdminComponents {
  for (const [name, file] of Object.entries(OVERRIDDEN_COMPONENT_FILES)) loader.override(name, join(__dirname, 'components', file));
  const names = Object.keys(ADMIN_COMPONENT_FILES) as AdminComponentName[];
  return Object.fromEntries(names.map((name) => [name, loader.add(name, componentPath(name))])) as AdminComponents;
}

/** `<package root>/admin-bundle`, found from this file whether it runs from src/ or dist/src/. */
export function adminBundleDir(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('paymux: package.json not found above the admin module');
    dir = parent;
  }
  return join(dir, 'admin-bundle');
}

/** The file AdminJS serves as components.bundle.js (its name is fixed by AdminJS). */
export function adminBundleFile(): string {
  return join(adminBundleDir(), 'bundle.js');
}

/** The panel's static bundles, compressed by `npm run build` (see panel-assets.ts). */
export function panelAssetsDir(): string {
  return join(adminBundleDir(), 'assets');
}
