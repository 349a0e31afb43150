import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib';

/**
 * The admin panel's static bundles, served the way a page that loads ~3 MB of JavaScript should
 * be: always the minified production builds (AdminJS picks its development builds, ~26 MB, unless
 * NODE_ENV is production), compressed ahead of time (brotli and gzip, written by `npm run build`),
 * under URLs that carry a content hash (`?v=<hash>`), so browsers keep them for a year and a new
 * version is a new URL. AdminJS itself reads every asset from disk on every request.
 */

/** One of AdminJS's static routes (`Router.assets`) or our components bundle. */
export interface AssetSource {
  /** Below the panel's root path, e.g. `/frontend/assets/app.bundle.js`. */
  readonly path: string;
  readonly src: string;
}

interface ManifestEntry {
  readonly path: string;
  readonly hash: string;
  readonly type: string;
  /** File names in the asset folder: the gzip and brotli encodings (the identity is the source). */
  readonly files: { readonly gzip: string; readonly br: string };
}

export interface PanelAsset {
  readonly path: string;
  readonly hash: string;
  readonly type: string;
  readonly identity: Buffer;
  readonly gzip: Buffer;
  readonly br: Buffer;
}

const MANIFEST = 'manifest.json';
const TYPES: Readonly<Record<string, string>> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.eot': 'application/vnd.ms-fontobject',
};
export const IMMUTABLE = 'public, max-age=31536000, immutable';

/** AdminJS's assets with each development build swapped for its production build, plus our components. */
export function productionAssetSources(routerAssets: readonly AssetSource[], componentsBundle: string): AssetSource[] {
  const sources = routerAssets
    .filter((asset) => asset.path !== '/frontend/assets/components.bundle.js')
    .map((asset) => {
      const production = asset.src.replace(/\.development\.js$/, '.production.js');
      return { path: asset.path, src: production !== asset.src && existsSync(production) ? production : asset.src };
    });
  return [...sources, { path: '/frontend/assets/components.bundle.js', src: componentsBundle }];
}

function typeOf(file: string): string {
  const extension = /\.[a-z0-9]+$/i.exec(file)?.[0].toLowerCase() ?? '';
  return TYPES[extension] ?? 'application/octet-stream';
}

function compress(path: string, identity: Buffer, quality: number): PanelAsset {
  return {
    path,
    hash: createHash('sha256').update(identity).digest('hex').slice(0, 16),
    type: typeOf(path),
    identity,
    gzip: gzipSync(identity, { level: 9 }),
    br: brotliCompressSync(identity, { params: { [zlib.BROTLI_PARAM_QUALITY]: quality, [zlib.BROTLI_PARAM_SIZE_HINT]: identity.length } }),
  };
}

/** Build time: compresses every asset at the highest brotli quality and writes them with a manifest. */
export function writePanelAssets(sources: readonly AssetSource[], outDir: string): ManifestEntry[] {
  mkdirSync(outDir, { recursive: true });
  const manifest = sources.map((source) => {
    const asset = compress(source.path, readFileSync(source.src), zlib.BROTLI_MAX_QUALITY);
    const name = `${asset.hash}-${basename(source.path)}`;
    writeFileSync(join(outDir, `${name}.gz`), asset.gzip);
    writeFileSync(join(outDir, `${name}.br`), asset.br);
    return { path: asset.path, hash: asset.hash, type: asset.type, files: { gzip: `${name}.gz`, br: `${name}.br` } };
  });
  writeFileSync(join(outDir, MANIFEST), JSON.stringify(manifest, null, 2));
  return manifest;
}

/**
 * Start-up: the build's compressed assets when they match the sources (same content hash),
 * else (a development checkout without a build) compressed now at a quicker brotli quality.
 */
export function loadPanelAssets(sources: readonly AssetSource[], dir: string): Map<string, PanelAsset> {
  const built = new Map<string, ManifestEntry>();
  if (existsSync(join(dir, MANIFEST))) {
    for (const entry of JSON.parse(readFileSync(join(dir, MANIFEST), 'utf8')) as ManifestEntry[]) built.set(entry.path, entry);
  }
  const assets = new Map<string, PanelAsset>();
  for (const source of sources) {
    if (!existsSync(source.src)) continue;
    const identity = readFileSync(source.src);
    const hash = createHash('sha256').update(identity).digest('hex').slice(0, 16);
    const entry = built.get(source.path);
    const asset = entry && entry.hash === hash && existsSync(join(dir, entry.files.br))
      ? { path: source.path, hash, type: entry.type, identity, gzip: readFileSync(join(dir, entry.files.gzip)), br: readFileSync(join(dir, entry.files.br)) }
      : compress(source.path, identity, 5);
    assets.set(source.path, asset);
  }
  return assets;
}

/** The encoding to send for an Accept-Encoding header: brotli, then gzip, else none. */
export function chooseEncoding(acceptEncoding: string | undefined): 'br' | 'gzip' | null {
  const accepted = new Map<string, number>();
  for (const part of (acceptEncoding ?? '').split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    accepted.set(name, q === undefined ? 1 : Number(q));
  }
  const weight = (name: string) => accepted.get(name) ?? (accepted.has('*') ? accepted.get('*')! : 0);
  if (weight('br') > 0) return 'br';
  if (weight('gzip') > 0) return 'gzip';
  return null;
}

/**
 * The panel's HTML with a content hash on every bundle URL (so they may be cached for good), and
 * without the Google Fonts stylesheet AdminJS links (the panel works offline, in system fonts).
 */
export function rewritePanelHtml(html: string, rootPath: string, assets: ReadonlyMap<string, PanelAsset>): string {
  let out = html.replace(/\s*<link[^>]+href="https:\/\/fonts\.googleapis\.com\/[^"]*"[^>]*>/g, '');
  for (const asset of assets.values()) {
    out = out.split(`"${rootPath}${asset.path}"`).join(`"${rootPath}${asset.path}?v=${asset.hash}"`);
  }
  return out;
}

/**
 * The panel's own few style rules, added to the head of every page: table cells never break a
 * word (ids, times and amounts stay whole; a wide table scrolls sideways in its box instead).
 */
const PANEL_STYLES = 'td,th{word-break:normal!important;overflow-wrap:normal!important}'
  + 'table{max-width:none}section:has(>table),div:has(>table){overflow-x:auto}';

export function addPanelStyles(html: string): string {
  return html.includes('</head>') ? html.replace('</head>', `<style data-paymux>${PANEL_STYLES}</style></head>`) : html;
}
