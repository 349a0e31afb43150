import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, rmdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './app';
import { createTestDatabase, TestDatabase } from './database';

const ROOT = join(__dirname, '..', '..');
const MAIN = join(ROOT, 'dist', 'src', 'main.js');
const BUNDLE = join(ROOT, 'admin-bundle', 'bundle.js');
const LOCK = join(tmpdir(), `paymux-build-lock-${createHash('sha256').update(ROOT).digest('hex').slice(0, 12)}`);

/**
 * Builds the application (`npm run build`: nest build plus the admin bundle) when dist/ or the
 * admin bundle is missing or older than a source file, so suites that run the real built server
 * also pass on a fresh clone. A lock directory keeps parallel jest workers from building at once.
 */
export async function ensureBuilt(): Promise<void> {
  if (isFresh()) return;
  while (!tryLock()) await new Promise((resolve) => setTimeout(resolve, 500));
  try {
    if (!isFresh()) execFileSync(process.execPath, [join(ROOT, 'node_modules', '.bin', 'nest'), 'build'], { cwd: ROOT, stdio: 'pipe' });
    if (!isFresh()) execFileSync(process.execPath, [join(ROOT, 'scripts', 'build-admin.js')], { cwd: ROOT, stdio: 'pipe' });
  } finally {
    rmdirSync(LOCK);
  }
}

function tryLock(): boolean {
  try {
    mkdirSync(LOCK);
    return true;
  } catch {
    // A lock left by a killed run is stale after two minutes.
    if (Date.now() - statSync(LOCK, { throwIfNoEntry: false })!.mtimeMs > 120_000) rmdirSync(LOCK);
    return false;
  }
}

function isFresh(): boolean {
  if (!existsSync(MAIN) || !existsSync(BUNDLE)) return false;
  const builtAt = Math.min(statSync(MAIN).mtimeMs, statSync(BUNDLE).mtimeMs);
  const sources = [join(ROOT, 'src'), join(ROOT, 'libs'), join(ROOT, 'scripts'), join(ROOT, 'package.json'), join(ROOT, 'nest-cli.json')];
  return sources.every((path) => newestMtime(path) <= builtAt);
}

function newestMtime(path: string): number {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return /\.(spec|e2e-spec)\.ts$/.test(path) ? 0 : stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newestMtime(join(path, name))));
}

export interface BuiltServer {
  url: string;
  database: TestDatabase;
  child: ChildProcess;
  /** The exit code (null when killed by a signal) and signal, once the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** What the server printed, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts `node dist/src/main.js` as a child process — the server as `npm start` runs it — on a
 * fresh database (SQLite, or PostgreSQL when DATABASE_URL is set) and a free port; `root` is the
 * checkout to run (this one by default).
 */
export async function startBuiltServer(env: Record<string, string>, existing?: TestDatabase, root = ROOT): Promise<BuiltServer> {
  // Another checkout (a scaffolding test's copy) builds itself.
  if (root === ROOT) await ensureBuilt();
  const database = existing ?? (await createTestDatabase());
  const dropDatabase = () => (existing ? Promise.resolve() : database.drop());
  const port = env.PORT ? Number(env.PORT) : await freePort();
  const url = `http://127.0.0.1:${port}`;
  let output = '';
  const child: ChildProcess = spawn(process.execPath, [root === ROOT ? MAIN : join(root, 'dist', 'src', 'main.js')], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: String(port),
      PUBLIC_URL: url,
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
      JOBS_ENABLED: 'false',
      ...database.env,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    await dropDatabase();
  };
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) {
      await dropDatabase();
      throw new Error(`the built server exited with ${child.exitCode}:\n${output}`);
    }
    const ready = await fetch(`${url}/health/ready`).then((res) => res.ok, () => false);
    if (ready) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the built server did not become ready in 30 s:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { url, database, child, exited, output: () => output, stop };
}
