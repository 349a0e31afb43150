import { judgeTransition, SESSION_STATUSES, SessionStatus } from './session-status';

describe('session status transitions', () => {
  const legal: [SessionStatus, SessionStatus, boolean][] = [
    ['open', 'processing', false], ['open', 'succeeded', false], ['open', 'failed', false],
    ['open', 'expired', false], ['open', 'cancelled', false], ['processing', 'succeeded', false],
    ['processing', 'failed', false], ['processing', 'expired', false], ['processing', 'cancelled', false],
    ['expired', 'succeeded', true], ['cancelled', 'succeeded', true],
    // Manual capture: a hold is placed (from the page or after a confirm), then captured,
    // released, lapsed or failed.
    ['open', 'requires_capture', false], ['processing', 'requires_capture', false],
    ['requires_capture', 'succeeded', false], ['requires_capture', 'failed', false],
    ['requires_capture', 'expired', false], ['requires_capture', 'cancelled', false],
  ];

  it.each(legal)('%s → %s is applied (late: %p)', (from, to, late) => {
    expect(judgeTransition(from, to)).toEqual({ kind: 'apply', late });
  });

  it('the same status again changes nothing', () => {
    for (const status of SESSION_STATUSES) expect(judgeTransition(status, status)).toEqual({ kind: 'unchanged' });
  });

  it('every other change is illegal', () => {
    const allowed = new Set(legal.map(([from, to]) => `${from}>${to}`));
    for (const from of SESSION_STATUSES) {
      for (const to of SESSION_STATUSES) {
        if (from === to || allowed.has(`${from}>${to}`)) continue;
        expect([from, to, judgeTransition(from, to).kind]).toEqual([from, to, 'illegal']);
      }
    }
  });
});
