'use strict';
/**
 * `npm start` runs this instead of a full build: it builds only when the compiled output is
 * missing or was built from other sources. The fingerprint is a hash of every input of the build
 * (sources, the admin components, the build configuration and the lock file), kept in
 * dist/.build-fingerprint; contents are hashed, not modification times, so a fresh checkout of
 * the same commit is still fresh and a change of one byte is not.
 */
const { createHash } = require('node:crypto');
const { execFileSync } = require('node:child_process');
const { existsSync, readdirSync, readFileSync, statSync, writeFileSync } = require('node:fs');
const path = require('node:path');

const ROOT = path.join(__dirname, '..');
const FINGERPRINT = path.join('dist', '.build-fingerprint');
const INPUT_DIRS = ['src', 'libs'];
const INPUT_FILES = ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'nest-cli.json', 'scripts/build-admin.js'];
const OUTPUTS = ['dist/src/main.js', 'admin-bundle/bundle.js'];

function* filesUnder(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* filesUnder(full);
    else if (entry.isFile()) yield full;
  }
}

function fingerprint(root = ROOT) {
  const files = [...INPUT_FILES.map((file) => path.join(root, file)).filter((file) => existsSync(file))];
  for (const dir of INPUT_DIRS) files.push(...filesUnder(path.join(root, dir)));
  const hash = createHash('sha256');
  for (const file of files.sort()) {
    hash.update(path.relative(root, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex');
}

function isFresh(current, root = ROOT) {
  if (!OUTPUTS.every((file) => existsSync(path.join(root, file)) && statSync(path.join(root, file)).size > 0)) return false;
  const stamp = path.join(root, FINGERPRINT);
  return existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === current;
}

function recordBuild(current, root = ROOT) {
  writeFileSync(path.join(root, FINGERPRINT), `${current}\n`);
}

function main(root = ROOT) {
  const current = fingerprint(root);
  if (isFresh(current, root)) {
    process.stdout.write('paymux: the build is up to date (sources unchanged since the last build)\n');
    return;
  }
  const first = !existsSync(path.join(root, 'dist', 'src', 'main.js'));
  process.stdout.write(first
    ? 'paymux: building for the first start (TypeScript and the admin panel; about a minute, once)…\n'
    : 'paymux: sources changed since the last build, rebuilding…\n');
  execFileSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
  recordBuild(current, root);
}

if (require.main === module) main();
module.exports = { fingerprint, isFresh, recordBuild };
