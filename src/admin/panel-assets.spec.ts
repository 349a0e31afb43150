import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { addPanelStyles, chooseEncoding, loadPanelAssets, productionAssetSources, rewritePanelHtml, writePanelAssets } from './panel-assets';

describe('admin panel assets', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'paymux-assets-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    ['gzip, deflate, br', 'br'],
    ['gzip', 'gzip'],
    ['br;q=0, gzip;q=0.5', 'gzip'],
    ['*', 'br'],
    ['identity', null],
    [undefined, null],
  ])('Accept-Encoding %s → %s', (header, encoding) => {
    expect(chooseEncoding(header)).toBe(encoding);
  });

  it('uses the production build of each AdminJS bundle where there is one, and our components bundle', () => {
    writeFileSync(join(dir, 'app-bundle.development.js'), 'dev');
    writeFileSync(join(dir, 'app-bundle.production.js'), 'prod');
    writeFileSync(join(dir, 'only.development.js'), 'dev');
    const sources = productionAssetSources([
      { path: '/frontend/assets/app.bundle.js', src: join(dir, 'app-bundle.development.js') },
      { path: '/frontend/assets/only.js', src: join(dir, 'only.development.js') },
      { path: '/frontend/assets/components.bundle.js', src: join(dir, 'tmp-bundle.js') },
    ], join(dir, 'ours.js'));
    expect(sources).toEqual([
      { path: '/frontend/assets/app.bundle.js', src: join(dir, 'app-bundle.production.js') },
      { path: '/frontend/assets/only.js', src: join(dir, 'only.development.js') },
      { path: '/frontend/assets/components.bundle.js', src: join(dir, 'ours.js') },
    ]);
  });

  it('serves what the build compressed while it matches the source, and compresses anew when the source changed', () => {
    const source = join(dir, 'app.js');
    writeFileSync(source, 'console.log("one");'.repeat(100));
    const sources = [{ path: '/frontend/assets/app.bundle.js', src: source }];
    const [entry] = writePanelAssets(sources, join(dir, 'out'));
    const built = loadPanelAssets(sources, join(dir, 'out')).get('/frontend/assets/app.bundle.js')!;
    expect(built).toMatchObject({ hash: entry.hash, type: 'text/javascript; charset=utf-8' });
    expect(brotliDecompressSync(built.br).toString()).toBe('console.log("one");'.repeat(100));
    expect(gunzipSync(built.gzip).toString()).toBe('console.log("one");'.repeat(100));

    writeFileSync(source, 'console.log("two");');
    const fresh = loadPanelAssets(sources, join(dir, 'out')).get('/frontend/assets/app.bundle.js')!;
    expect(fresh.hash).not.toBe(entry.hash);
    expect(brotliDecompressSync(fresh.br).toString()).toBe('console.log("two");');
  });

  it('puts the content hash on every bundle URL of a page and drops the Google Fonts stylesheet', () => {
    const assets = new Map([['/frontend/assets/app.bundle.js', { path: '/frontend/assets/app.bundle.js', hash: 'abc123', type: '', identity: Buffer.alloc(0), gzip: Buffer.alloc(0), br: Buffer.alloc(0) }]]);
    const html = '<head>\n  <link rel="stylesheet" href="https://fonts.googleapis.com/css?family=Roboto:300,400" type="text/css">\n'
      + '<script src="/admin/frontend/assets/app.bundle.js"></script></head>';
    expect(rewritePanelHtml(html, '/admin', assets)).toBe('<head>\n<script src="/admin/frontend/assets/app.bundle.js?v=abc123"></script></head>');
  });

  it("adds the panel's style rules to the head of a page, and leaves a fragment without a head alone", () => {
    const page = addPanelStyles('<html><head><title>x</title></head><body></body></html>');
    expect(page).toMatch(/<style data-paymux>td,th\{word-break:normal!important;[^<]*<\/style><\/head>/);
    expect(addPanelStyles('{"error":"x"}')).toBe('{"error":"x"}');
  });
});
