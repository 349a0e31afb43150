import { ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import { TEST_API_KEY } from './app';
import type { TestDatabase } from './database';

export interface AppProcess {
  child: ChildProcess;
  url: string;
  /** SIGKILL: no shutdown hooks, no cleanup, claims left as they are. */
  kill(): Promise<void>;
}

/** The app in a separate process on `database` (see app-process.js), listening on a free port. */
export function startAppProcess(database: TestDatabase, env: Record<string, string> = {}): Promise<AppProcess> {
  const child = fork(join(__dirname, 'app-process.js'), [], {
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      BOOTSTRAP_API_KEY: TEST_API_KEY,
      ADMIN_ENABLED: 'false',
      ...database.env,
      ...env,
    },
  });
  let output = '';
  child.stdout?.on('data', (chunk) => (output = (output + chunk).slice(-10000)));
  child.stderr?.on('data', (chunk) => (output = (output + chunk).slice(-10000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise<AppProcess>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the app process did not start within 60 s:\n${output}`));
    }, 60_000);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the app process exited (${signal ?? code}) before it was ready:\n${output}`));
    });
    child.on('message', (message: { ready?: string }) => {
      if (!message.ready) return;
      clearTimeout(timer);
      resolve({
        child,
        url: message.ready,
        kill: async () => {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
          await exited;
        },
      });
    });
  });
}
