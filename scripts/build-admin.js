'use strict';
/**
 * Bundles the admin panel's custom React components (src/admin/components, copied to dist by
 * `nest build`) into admin-bundle/bundle.js, once, at build time: the server then starts
 * without bundling and without network. Run by `npm run build` after `nest build`.
 */
const { rmSync } = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const compiled = path.join(root, 'dist', 'src', 'admin', 'admin-bundle.js');

async function main() {
  const { adminBundleDir, adminBundleFile, panelAssetsDir, registerComponents } = require(compiled);
  const { productionAssetSources, writePanelAssets } = require(path.join(root, 'dist', 'src', 'admin', 'panel-assets.js'));
  const outDir = adminBundleDir();
  rmSync(outDir, { recursive: true, force: true });
  // AdminJS reads these when its modules are first evaluated: where to bundle, and to minify.
  process.env.ADMIN_JS_TMP_DIR = outDir;
  process.env.NODE_ENV = 'production';
  const esmImport = new Function('specifier', 'return import(specifier)');
  const { default: AdminJS, ComponentLoader, Router } = await esmImport('adminjs');
  const { componentsBundler, generateUserComponentEntry } = await esmImport('adminjs/bundler');
  const componentLoader = new ComponentLoader();
  registerComponents(componentLoader);
  const admin = new AdminJS({ componentLoader });
  await componentsBundler.createEntry({ dir: outDir, content: generateUserComponentEntry(admin, outDir) });
  await componentsBundler.build();
  process.stdout.write(`admin panel components bundled into ${path.relative(root, outDir)}/bundle.js\n`);
  // The panel's bundles, minified and compressed once here rather than at every start.
  const written = writePanelAssets(productionAssetSources(Router.assets, adminBundleFile()), panelAssetsDir());
  process.stdout.write(`admin panel assets compressed into ${path.relative(root, panelAssetsDir())}/ (${written.length} files)\n`);
}

main().catch((error) => {
  process.stderr.write(`build-admin: ${error.stack || error}\n`);
  process.exit(1);
});
