import type { PanelTarget } from './admin-access';
import { escapeHtml } from '../sessions/buyer-page';
import { RESOURCE_LABELS } from './resource-labels';

/**
 * The page a signed-in user gets for a panel page their role may not open: in the panel's
 * colours and type, saying which role they have and what it cannot open, with the way back.
 */
export function forbiddenPage(rootPath: string, user: { email: string; role: string }, target: PanelTarget): string {
  const what = RESOURCE_LABELS[target.resourceId] ?? 'this page';
  const doing = target.action === 'list' || target.action === '' ? `open ${what}` : `use “${target.action}” on ${what}`;
  const e = escapeHtml;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Not available to your role · paymux</title>
<style>
  body { margin: 0; background: #f6f7fb; color: #0c1e29; font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
  header { background: #fff; border-bottom: 1px solid #eeeefb; padding: 16px 32px; font-weight: 700; font-size: 18px; }
  main { max-width: 640px; margin: 64px auto; background: #fff; padding: 40px; box-shadow: 0 1px 6px rgba(56, 75, 101, 0.1); border-radius: 2px; }
  h1 { font-size: 24px; font-weight: 400; margin: 0 0 16px; }
  p { line-height: 1.5; margin: 0 0 16px; }
  a.button { display: inline-block; background: #3040d6; color: #fff; padding: 8px 24px; text-decoration: none; border-radius: 4px; }
  .muted { color: #898a9a; font-size: 14px; }
</style>
</head>
<body>
<header>paymux</header>
<main data-testid="forbidden">
  <h1>Not available to your role</h1>
  <p>You are signed in as ${e(user.email)} with the <strong>${e(user.role)}</strong> role, which may not ${e(doing)}.</p>
  <p class="muted">An admin can change your role under Access → Admin users.</p>
  <p><a class="button" href="${e(rootPath)}">Back to the dashboard</a> &nbsp; <a href="${e(rootPath)}/logout">Sign out</a></p>
</main>
</body>
</html>
`;
}
