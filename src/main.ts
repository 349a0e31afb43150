import { ConfigError } from './config/config';
import { createApp } from './app.factory';
import { startupBanner } from './startup-banner';

async function main(): Promise<void> {
  try {
    const paymux = await createApp();
    process.stdout.write(startupBanner(paymux));
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`paymux: configuration error: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

void main();
