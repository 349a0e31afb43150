import { ConfigError } from './config/config';
import { createApp, PaymuxApp } from './app.factory';
import { startupBanner } from './startup-banner';

async function main(): Promise<void> {
  try {
    const paymux = await createApp({ shutdownHooks: false });
    stopGracefullyOn(paymux, ['SIGTERM', 'SIGINT']);
    // After the start-up's log lines, so that where to go is the last thing on the screen.
    paymux.printAfterLogs(startupBanner(paymux));
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`paymux: configuration error: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

/**
 * A load balancer's (or orchestrator's) SIGTERM: stop taking requests (new ones on kept-alive
 * connections get 503), finish the requests in flight and the jobs' current batches, give back
 * the claims not worked on, close the database, then exit 0. A second signal exits at once.
 */
function stopGracefullyOn(paymux: PaymuxApp, signals: NodeJS.Signals[]): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(1);
    stopping = true;
    const started = Date.now();
    paymux.close().then(
      () => {
        process.stdout.write(`paymux: ${signal}: stopped gracefully in ${Date.now() - started} ms\n`);
        process.exit(0);
      },
      (error: unknown) => {
        process.stderr.write(`paymux: ${signal}: shutdown failed: ${error instanceof Error ? error.message : String(error)}\n`);
        process.exit(1);
      },
    );
  };
  for (const signal of signals) process.on(signal, stop);
}

void main();
