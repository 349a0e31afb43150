import { ADMIN_ACCESS, canAccess, panelTarget } from './admin-access';

describe('admin access table', () => {
  it.each([
    ['admin', 'AdminUser', 'list', true],
    ['merchant', 'AdminUser', 'list', false],
    ['operator', 'ApiKey', 'new', false],
    ['merchant', 'Product', 'delete', true],
    ['operator', 'Product', 'list', false],
    ['operator', 'Session', 'cancel', false],
    ['merchant', 'Session', 'sync', true],
    ['merchant', 'Session', 'refund', true],
    ['operator', 'Session', 'refund', false],
    ['operator', 'Refund', 'show', true],
    ['merchant', 'Refund', 'edit', false],
    ['admin', 'Refund', 'delete', false],
    ['admin', 'Session', 'edit', false],
    ['admin', 'Product', 'bulkDelete', false],
    ['operator', 'JobState', 'runNow', true],
    ['merchant', 'JobState', 'pause', false],
    ['operator', 'Event', 'redeliver', true],
    ['merchant', 'Event', 'show', true],
    ['merchant', 'Event', 'redeliver', false],
    ['operator', 'WebhookEndpoint', 'list', false],
    ['admin', 'WebhookEndpoint', 'edit', false],
    ['admin', 'IdempotencyRecord', 'list', false],
    ['admin', 'toString', 'list', false],
    ['admin', 'Product', 'constructor', false],
    [undefined, 'Product', 'list', false],
    ['root', 'Product', 'list', false],
  ])('%s on %s/%s → %s', (role, resource, action, allowed) => {
    expect(canAccess(role, resource, action)).toBe(allowed);
  });

  it('gives admins every action of every resource', () => {
    for (const [resource, actions] of Object.entries(ADMIN_ACCESS)) {
      for (const action of Object.keys(actions)) expect(canAccess('admin', resource, action)).toBe(true);
    }
  });

  it.each([
    ['/admin/api/resources/AdminUser/actions/list', { resourceId: 'AdminUser', action: 'list', api: true }],
    ['/admin/api/resources/Product/actions/search/phone?x=1', { resourceId: 'Product', action: 'search', api: true }],
    ['/admin/api/resources/Session/records/sess_1/cancel', { resourceId: 'Session', action: 'cancel', api: true }],
    ['/admin/api/resources/Session/records/sess_1/refund', { resourceId: 'Session', action: 'refund', api: true }],
    ['/admin/api/resources/Product/bulk/bulkDelete?recordIds=1', { resourceId: 'Product', action: 'bulkDelete', api: true }],
    ['/admin/api/resources/Product/search/phone', { resourceId: 'Product', action: 'search', api: true }],
    ['/admin/resources/AdminUser', { resourceId: 'AdminUser', action: 'list', api: false }],
    ['/admin/resources/Product/records/1/edit', { resourceId: 'Product', action: 'edit', api: false }],
    ['/admin/resources/Product/records/1', { resourceId: 'Product', action: '', api: false }],
    ['/admin/resources/Admin%55ser', { resourceId: 'AdminUser', action: 'list', api: false }],
  ])('reads %s', (url, target) => {
    expect(panelTarget('/admin', url)).toEqual(target);
  });

  it.each(['/admin', '/admin/api/dashboard', '/admin/pages/x', '/admin/frontend/assets/app.bundle.js', '/v1/products', '/administrator/resources/X', '/admin/resources/%E0%A4%A'])(
    'finds no resource in %s',
    (url) => {
      expect(panelTarget('/admin', url)).toBeNull();
    },
  );
});
