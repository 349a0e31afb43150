import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { createApp } from './app.factory';
import { buildOpenApiDocument } from './openapi';

/** The committed OpenAPI document, at the repository root (this file is src/ or dist/src/). */
export const OPENAPI_FILE = join(__dirname, basename(dirname(__dirname)) === 'dist' ? '../..' : '..', 'openapi.json');

/**
 * The OpenAPI document as committed in openapi.json: built from the app without listening, on a
 * throw-away SQLite database, with a fixed configuration so that neither the developer's
 * environment nor a real database changes it.
 */
export async function renderOpenApiFile(): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), 'paymux-openapi-'));
  try {
    const paymux = await createApp({
      listen: false,
      env: {
        NODE_ENV: 'development',
        LOG_LEVEL: 'silent',
        DATA_DIR: dataDir,
        MIGRATE_ON_START: 'true',
        JOBS_ENABLED: 'false',
        ADMIN_ENABLED: 'false',
        PUBLIC_URL: 'http://localhost:3000',
      },
    });
    try {
      return `${JSON.stringify(buildOpenApiDocument(paymux.app), null, 2)}\n`;
    } finally {
      await paymux.close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
