/** What the process wrote to stdout while a capture was on (pino's JSON lines, for instance). */
export interface StdoutCapture {
  text(): string;
  stop(): void;
}

/**
 * Swaps `process.stdout.write` for a recorder. Start it before the app boots: pino writes to
 * `process.stdout` (rather than straight to file descriptor 1) only when it finds it replaced.
 */
export function captureStdout(): StdoutCapture {
  const chunks: string[] = [];
  const original = process.stdout.write;
  const recorder = function (this: NodeJS.WriteStream, chunk: string | Uint8Array, ...rest: unknown[]): boolean {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    const callback = rest.find((arg): arg is () => void => typeof arg === 'function');
    if (callback) process.nextTick(callback);
    return true;
  };
  process.stdout.write = recorder as typeof process.stdout.write;
  return {
    text: () => chunks.join(''),
    stop: () => {
      process.stdout.write = original;
    },
  };
}
