#!/usr/bin/env node
// Scaffolds a provider from scripts/provider-template: its library (libs/<name>: a client and a
// simulator), its folder (src/providers/<name>: the adapter and its definition) and one line in
// src/providers/provider-list.ts. Nothing else changes; then write the client and simulator
// from the provider's documents and run `npm run providers:sync` and `npm run openapi`.
//
//   node scripts/add-provider.js <name> [Label]      e.g. node scripts/add-provider.js acme "Acme Pay"
'use strict';
const { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const ROOT = join(__dirname, '..');
const TEMPLATE = join(__dirname, 'provider-template');
const LIST = join(ROOT, 'src', 'providers', 'provider-list.ts');

function main(argv) {
  const [name, labelArg] = argv;
  if (!name || !/^[a-z][a-z0-9]{1,30}$/.test(name)) fail('usage: node scripts/add-provider.js <name> [Label] (name: lower-case letters and digits)');
  const label = labelArg || name[0].toUpperCase() + name.slice(1);
  const pascal = label.replace(/[^A-Za-z0-9]+/g, ' ').trim().split(' ').map((w) => w[0].toUpperCase() + w.slice(1)).join('');
  const words = { __slug__: name, __name__: name, __Label__: label, __Pascal__: pascal, __UPPER__: name.toUpperCase() };
  const fill = (text) => text.replace(/__slug__|__name__|__Label__|__Pascal__|__UPPER__/g, (token) => words[token]);

  const lib = join(ROOT, 'libs', name, 'src');
  const folder = join(ROOT, 'src', 'providers', name);
  if (existsSync(join(ROOT, 'libs', name)) || existsSync(folder)) fail(`libs/${name} or src/providers/${name} exists already`);
  const list = readFileSync(LIST, 'utf8');
  const closing = list.indexOf('\n];', list.indexOf('const PROVIDER_FOLDERS = ['));
  if (closing < 0) fail('src/providers/provider-list.ts has no PROVIDER_FOLDERS list');

  mkdirSync(lib, { recursive: true });
  for (const file of readdirSync(join(TEMPLATE, 'lib'))) writeFileSync(join(lib, file.replace(/\.tmpl$/, '')), fill(readFileSync(join(TEMPLATE, 'lib', file), 'utf8')));
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, `${name}.provider.ts`), fill(readFileSync(join(TEMPLATE, 'module', 'provider.ts.tmpl'), 'utf8')));
  writeFileSync(join(folder, `${name}.definition.ts`), fill(readFileSync(join(TEMPLATE, 'module', 'definition.ts.tmpl'), 'utf8')));
  writeFileSync(LIST, `${list.slice(0, closing)}\n  '${name}',${list.slice(closing)}`);

  process.stdout.write(
    [
      `added provider ${name} (${label}):`,
      `  libs/${name}/src/               client and simulator: write them from the provider's documents`,
      `  src/providers/${name}/          adapter (${name}.provider.ts) and definition (${name}.definition.ts)`,
      `  src/providers/provider-list.ts  one line`,
      'then: npm run providers:sync (the .env.example and compose settings) and npm run openapi',
      '',
    ].join('\n'),
  );
}

function fail(message) {
  process.stderr.write(`add-provider: ${message}\n`);
  process.exit(2);
}

main(process.argv.slice(2));
