import type { AdminRole } from './admin-user.entity';

/**
 * Who may do what in the panel: one table, read by AdminJS (`isAccessible`/`isVisible` on every
 * action) and by the request guard in front of the panel's API, which answers 403 for anything
 * not listed here. Deny by default: an action or a resource missing from the table is refused
 * to every role.
 */
const READ = ['list', 'show', 'search'] as const;
const EVERYONE: readonly AdminRole[] = ['admin', 'merchant', 'operator'];
const MERCHANTS: readonly AdminRole[] = ['admin', 'merchant'];
const OPERATORS: readonly AdminRole[] = ['admin', 'operator'];
const ADMINS: readonly AdminRole[] = ['admin'];

function grant(roles: readonly AdminRole[], actions: readonly string[]): Record<string, readonly AdminRole[]> {
  return Object.fromEntries(actions.map((action) => [action, roles]));
}

export const ADMIN_ACCESS: Readonly<Record<string, Readonly<Record<string, readonly AdminRole[]>>>> = {
  Product: grant(MERCHANTS, [...READ, 'new', 'edit', 'delete']),
  Customer: grant(MERCHANTS, READ),
  Session: { ...grant(EVERYONE, READ), ...grant(MERCHANTS, ['sync', 'cancel', 'refund']) },
  Refund: grant(EVERYONE, READ),
  SessionEvent: grant(EVERYONE, READ),
  InboundWebhook: grant(OPERATORS, READ),
  JobRun: grant(OPERATORS, READ),
  JobState: grant(OPERATORS, [...READ, 'pause', 'resume', 'runNow']),
  Event: { ...grant(EVERYONE, READ), ...grant(OPERATORS, ['redeliver']) },
  Delivery: grant(EVERYONE, READ),
  DeliveryAttempt: grant(EVERYONE, READ),
  WebhookEndpoint: grant(ADMINS, READ),
  ApiKey: grant(ADMINS, [...READ, 'new', 'revoke']),
  AdminUser: grant(ADMINS, [...READ, 'new', 'edit', 'delete']),
};

export const ADMIN_RESOURCE_IDS = Object.keys(ADMIN_ACCESS);

/**
 * The dashboard's sections and who sees them: a section shows what its role may act on (job
 * health for those who may pause and run jobs, provider breakers and routing for those who run
 * operations); the rest is not computed, not sent and not drawn.
 */
export const DASHBOARD_SECTIONS: Readonly<Record<'sessions' | 'routing' | 'jobs', readonly AdminRole[]>> = {
  sessions: EVERYONE,
  routing: OPERATORS,
  jobs: OPERATORS,
};
export type DashboardSection = keyof typeof DASHBOARD_SECTIONS;

export function dashboardSections(role: unknown): DashboardSection[] {
  return (Object.keys(DASHBOARD_SECTIONS) as DashboardSection[]).filter((section) => typeof role === 'string' && (DASHBOARD_SECTIONS[section] as readonly string[]).includes(role));
}

export function canAccess(role: unknown, resourceId: string, action: string): boolean {
  const roles = Object.prototype.hasOwnProperty.call(ADMIN_ACCESS, resourceId) ? ADMIN_ACCESS[resourceId] : undefined;
  const allowed = roles && Object.prototype.hasOwnProperty.call(roles, action) ? roles[action] : undefined;
  return !!allowed && typeof role === 'string' && (allowed as readonly string[]).includes(role);
}

/** The actions a resource has in the panel (every other AdminJS action is switched off). */
export function actionsOf(resourceId: string): string[] {
  return Object.keys(ADMIN_ACCESS[resourceId] ?? {});
}

export interface PanelTarget {
  resourceId: string;
  action: string;
  api: boolean;
}

/**
 * Which resource and action a panel URL reaches, or null for URLs that are not about one
 * resource (dashboard, pages, assets, login). Mirrors the routes of AdminJS's router.
 */
export function panelTarget(rootPath: string, url: string): PanelTarget | null {
  const path = url.split('?')[0];
  if (!path.startsWith(`${rootPath}/`)) return null;
  const rest = path.slice(rootPath.length).split('/').slice(1).map(safeDecode);
  const api = rest[0] === 'api';
  const parts = api ? rest.slice(1) : rest;
  const resourceId = parts[1];
  if (parts[0] !== 'resources' || typeof resourceId !== 'string') return null;
  const kind = parts[2];
  let action: string | null | undefined;
  if (kind === undefined) action = 'list';
  else if (kind === 'actions' || kind === 'bulk') action = parts[3];
  else if (kind === 'records') action = parts[4];
  else if (kind === 'search') action = 'search';
  return { resourceId, action: typeof action === 'string' && action !== '' ? action : '', api };
}

function safeDecode(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}
