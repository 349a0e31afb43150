'use strict';
/**
 * Boots paymux in this (child) process straight from the TypeScript sources, transpiled on
 * require as jest does, so a test can run the current code as a real separate process (and kill
 * it) without a stale dist/. Configuration comes from this process's environment; the parent
 * is told the URL over IPC once the app listens.
 */
const fs = require('node:fs');
const Module = require('node:module');
const path = require('node:path');
const ts = require('typescript');

const ROOT = path.join(__dirname, '..', '..');
const tsconfig = ts.readConfigFile(path.join(ROOT, 'tsconfig.json'), ts.sys.readFile).config;
const { options } = ts.convertCompilerOptionsFromJson(tsconfig.compilerOptions, ROOT);
const compilerOptions = { ...options, module: ts.ModuleKind.CommonJS, sourceMap: false, inlineSourceMap: true, inlineSources: false };

require.extensions['.ts'] = (module, filename) => {
  const { outputText } = ts.transpileModule(fs.readFileSync(filename, 'utf8'), { compilerOptions, fileName: filename });
  module._compile(outputText, filename);
};

// tsconfig's paths, wildcards included ("@paymux/*": ["libs/*/src"]).
const aliases = Object.entries(tsconfig.compilerOptions.paths).map(([alias, [target]]) => {
  const [prefix, suffix = ''] = alias.split('*');
  return { prefix, suffix, wildcard: alias.includes('*'), target };
});
function aliased(request) {
  for (const { prefix, suffix, wildcard, target } of aliases) {
    if (!wildcard && request === prefix) return path.join(ROOT, target);
    if (wildcard && request.startsWith(prefix) && request.endsWith(suffix) && request.length > prefix.length + suffix.length) {
      return path.join(ROOT, target.replace('*', request.slice(prefix.length, request.length - suffix.length)));
    }
  }
  return request;
}
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return resolveFilename.call(this, aliased(request), ...rest);
};

require(path.join(ROOT, 'src', 'app.factory.ts'))
  .createApp({ env: process.env })
  .then((paymux) => process.send({ ready: paymux.url }))
  .catch((error) => {
    process.stderr.write(`${error.stack || error}\n`);
    process.exit(1);
  });
