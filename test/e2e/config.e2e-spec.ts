import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const MAIN = join(__dirname, '../../dist/src/main.js');

describe('configuration checked at boot (the built server)', () => {
  let cwd: string;
  beforeAll(() => {
    if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npm run build\` first (\`npm test\` does)`);
    cwd = mkdtempSync(join(tmpdir(), 'paymux-boot-'));
  });
  afterAll(() => rmSync(cwd, { recursive: true, force: true }));

  it('stops with exit code 1 and one stderr line naming the variable', () => {
    const run = spawnSync(process.execPath, [MAIN], {
      cwd,
      env: { PATH: process.env.PATH, PORT: 'abc', DATA_DIR: join(cwd, 'data') },
      encoding: 'utf8',
      timeout: 30000,
    });
    expect(run.status).toBe(1);
    const lines = run.stderr.split('\n').filter((line) => line.trim() !== '');
    expect(lines).toEqual(['paymux: configuration error: PORT must be an integer, got "abc"']);
    expect(run.stdout).toBe('');
    expect(existsSync(join(cwd, 'data'))).toBe(false);
  });
});
