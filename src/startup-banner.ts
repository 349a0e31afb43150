import type { PaymuxApp } from './app.factory';
import { databaseDriver } from './database/orm-config';
import { SimulatorMounts } from './http/simulator-mounts';

/** What `npm start` prints: where to go, and secrets generated at this start (shown once). */
export function startupBanner(paymux: PaymuxApp, extraLines: string[] = []): string {
  const { config } = paymux;
  const base = config.publicUrl;
  const lines = [
    '',
    `paymux is running (${config.nodeEnv}, ${databaseDriver(config) === 'postgresql' ? 'PostgreSQL' : `SQLite at ${config.sqlitePath}`})`,
    `  API        ${base}/v1`,
    `  API docs   ${base}/docs`,
    ...(config.admin.enabled ? [`  Admin      ${base}/admin`] : []),
    `  Health     ${base}/health/ready    Metrics ${base}/metrics`,
  ];
  for (const mount of paymux.app.get(SimulatorMounts).list()) {
    lines.push(`  Simulator  ${mount.label.padEnd(13)} ${base}${mount.prefix}`);
  }
  lines.push(...extraLines);
  if (paymux.generatedApiKey) {
    lines.push('', `  A development API key was created (shown only now): ${paymux.generatedApiKey}`);
    lines.push(`  Try: curl -H "Authorization: Bearer ${paymux.generatedApiKey}" ${base}/v1/products`);
  }
  if (paymux.generatedAdmin) {
    lines.push('', `  A development admin was created (shown only now): ${paymux.generatedAdmin.email} / ${paymux.generatedAdmin.password}`);
    lines.push(`  Sign in at ${base}/admin (set ADMIN_EMAIL and ADMIN_PASSWORD to choose your own)`);
  }
  lines.push('', '');
  return lines.join('\n');
}
