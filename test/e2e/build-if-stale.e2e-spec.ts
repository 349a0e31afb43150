import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The script `npm start` and `npm test` run before starting: plain CommonJS, no build of its own.
const { fingerprint, isFresh, recordBuild } = require('../../scripts/build-if-stale.js') as {
  fingerprint(root: string): string;
  isFresh(current: string, root: string): boolean;
  recordBuild(current: string, root: string): void;
};

describe('npm start skips the build when the output was built from the same sources', () => {
  let root: string;
  const write = (file: string, text: string) => {
    mkdirSync(join(root, file, '..'), { recursive: true });
    writeFileSync(join(root, file), text);
  };

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'paymux-build-'));
    write('package.json', '{}');
    write('src/main.ts', 'console.log(1);');
    write('libs/payments/src/index.ts', 'export {};');
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const built = () => {
    write('dist/src/main.js', 'console.log(1);');
    write('admin-bundle/bundle.js', '(() => {})();');
    recordBuild(fingerprint(root), root);
  };

  it('builds when there is no output yet (the first start)', () => {
    expect(isFresh(fingerprint(root), root)).toBe(false);
  });

  it('skips when nothing changed since the last build', () => {
    built();
    expect(isFresh(fingerprint(root), root)).toBe(true);
  });

  it.each([
    ['a source file changes', () => write('src/main.ts', 'console.log(2);')],
    ['a library file is added', () => write('libs/payments/src/money.ts', 'export const x = 1;')],
    ['the lock file changes', () => write('package-lock.json', '{"lockfileVersion": 3}')],
  ])('rebuilds when %s', (_name, change) => {
    built();
    change();
    expect(isFresh(fingerprint(root), root)).toBe(false);
  });

  it('rebuilds when an output is missing, even with a matching fingerprint', () => {
    built();
    rmSync(join(root, 'admin-bundle', 'bundle.js'));
    expect(isFresh(fingerprint(root), root)).toBe(false);
  });
});
