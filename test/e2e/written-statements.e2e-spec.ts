import { EntityManager, UniqueConstraintViolationException } from '@mikro-orm/core';
import { insertEntities, runSql, writeChanges } from '../../src/database/statements';
import { Outbox } from '../../src/notifications/outbox';
import { SessionEvent } from '../../src/sessions/session-event.entity';
import { readSession } from '../../src/sessions/session-transitions';
import { Session } from '../../src/sessions/session.entity';
import { InboundWebhook } from '../../src/webhooks/inbound-webhook.entity';
import { startTestApp, TestApp } from '../support/app';

/**
 * The hand-written statements of the hot paths (callbacks, the outbox, session events) store and
 * change rows exactly as the ORM would, on the database of the run: what they write reads back
 * through the ORM unchanged, and a change is written once.
 */
describe('written statements', () => {
  let app: TestApp;
  const fresh = (): EntityManager => app.em().fork();

  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

  function newSession(fields: Partial<Session> = {}): Session {
    return Object.assign(new Session(), {
      provider: 'spayon',
      providerSessionId: `ps_${Math.random().toString(36).slice(2)}`,
      amount: 9_007_199_254_740_991,
      currency: 'AMD',
      description: `Quotes ' " and a ? in text, ünïcode`,
      returnUrl: 'https://shop.example/thanks?order=1&x=?',
      expiresAt: new Date('2026-12-04T10:00:00.123Z'),
      createdAt: new Date('2026-12-04T09:00:00.456Z'),
      updatedAt: new Date('2026-12-04T09:00:00.456Z'),
      ...fields,
    });
  }

  it('inserts rows that read back through the ORM as they were built (text with quotes and ?, JSON, bigint, booleans, dates, nulls)', async () => {
    const session = newSession({ failure: { code: 'declined', message: "It's ? declined", source: 'provider' }, late: true });
    const webhook = Object.assign(new InboundWebhook(), {
      provider: 'spayon', dedupeKey: `k_${session.id}`, eventType: 'paid', sessionId: session.id, outcome: 'applied',
      headers: { 'x-signature': 'ab?cd', 'content-type': 'application/json' }, rawBody: '{"a":"b?\'c"}', receivedAt: new Date('2026-12-04T09:30:00.789Z'),
    });
    const event = Object.assign(new SessionEvent(), { sessionId: session.id, fromStatus: null, toStatus: 'open', source: 'api', late: false, providerStatus: null, note: null, createdAt: new Date('2026-12-04T09:00:01.000Z') });
    await fresh().transactional(async (em) => {
      await insertEntities(em, [session]);
      await insertEntities(em, [webhook]);
      await insertEntities(em, [event]);
    });

    const stored = await fresh().findOneOrFail(Session, { id: session.id });
    expect(stored).toMatchObject({
      amount: 9_007_199_254_740_991, description: session.description, returnUrl: session.returnUrl, late: true, failure: session.failure,
      expiresAt: session.expiresAt, createdAt: session.createdAt, providerCustomerId: null, capturedAmount: null,
    });
    const storedWebhook = await fresh().findOneOrFail(InboundWebhook, { dedupeKey: webhook.dedupeKey });
    expect(storedWebhook).toMatchObject({ headers: webhook.headers, rawBody: webhook.rawBody, receivedAt: webhook.receivedAt, outcome: 'applied' });
    expect(typeof storedWebhook.id).toBe('number');
    expect(await fresh().findOneOrFail(SessionEvent, { sessionId: session.id })).toMatchObject({ fromStatus: null, toStatus: 'open', late: false, createdAt: event.createdAt });
  });

  it('writes only what changed in a session read with its lock, once; the flush after it writes nothing', async () => {
    const session = newSession();
    await fresh().transactional((em) => insertEntities(em, [session]));

    await fresh().transactional(async (em) => {
      const locked = (await readSession(em, 'id = ?', [session.id], { forUpdate: true }))!;
      expect(await writeChanges(em, locked)).toBe(false);
      locked.status = 'succeeded';
      locked.capturedAmount = 9_007_199_254_740_991;
      locked.amountMismatch = { amount: 1, currency: 'AMD', reportedAt: '2026-12-04T09:10:00.000Z' };
      locked.completedAt = new Date('2026-12-04T09:10:00.000Z');
      expect(await writeChanges(em, locked)).toBe(true);
      expect(await writeChanges(em, locked)).toBe(false);
      // Another writer's column, changed under the lock's transaction: a flush that rewrote the
      // session would put its own updated_at back.
      await runSql(em, 'update sessions set updated_at = ? where id = ?', [new Date('2030-01-01T00:00:00.000Z'), session.id]);
      await em.flush();
    });

    const stored = await fresh().findOneOrFail(Session, { id: session.id });
    expect(stored).toMatchObject({
      status: 'succeeded', capturedAmount: 9_007_199_254_740_991, completedAt: new Date('2026-12-04T09:10:00.000Z'),
      amountMismatch: { amount: 1, currency: 'AMD', reportedAt: '2026-12-04T09:10:00.000Z' }, description: session.description,
      updatedAt: new Date('2030-01-01T00:00:00.000Z'),
    });
  });

  it('stamps updated_at as a flush does when something changed, and not when nothing did', async () => {
    const session = newSession();
    await fresh().transactional((em) => insertEntities(em, [session]));
    await fresh().transactional(async (em) => {
      const locked = (await readSession(em, 'id = ?', [session.id], { forUpdate: true }))!;
      locked.providerStatus = session.providerStatus;
      expect(await writeChanges(em, locked)).toBe(false);
    });
    expect((await fresh().findOneOrFail(Session, { id: session.id })).updatedAt).toEqual(session.updatedAt);
    const before = Date.now();
    await fresh().transactional(async (em) => {
      const locked = (await readSession(em, 'id = ?', [session.id], { forUpdate: true }))!;
      locked.providerStatus = 'paid';
      await writeChanges(em, locked);
    });
    expect((await fresh().findOneOrFail(Session, { id: session.id })).updatedAt.getTime()).toBeGreaterThanOrEqual(before - 1);
  });

  it('a locked session is managed: the flush writes what changed, and locking it again in the same transaction refreshes the same instance', async () => {
    const session = newSession();
    await fresh().transactional((em) => insertEntities(em, [session]));
    await fresh().transactional(async (em) => {
      const locked = (await readSession(em, 'id = ?', [session.id], { forUpdate: true }))!;
      locked.description = 'changed, written by the flush';
      await em.flush();
      await runSql(em, 'update sessions set provider_status = ? where id = ?', ['seen-by-the-second-read', session.id]);
      const again = (await readSession(em, 'id = ?', [session.id], { forUpdate: true }))!;
      expect(again).toBe(locked);
      expect(locked.providerStatus).toBe('seen-by-the-second-read');
    });
    expect(await fresh().findOneOrFail(Session, { id: session.id })).toMatchObject({ description: 'changed, written by the flush', providerStatus: 'seen-by-the-second-read' });
  });

  it("reports a duplicate row as the ORM's unique-constraint exception, in a transaction or not, so a racing resend is known as one", async () => {
    const row = () => Object.assign(new InboundWebhook(), { provider: 'spayon', dedupeKey: 'same-notification', outcome: 'applied', rawBody: '{}' });
    await fresh().transactional((em) => insertEntities(em, [row()]));
    await expect(fresh().transactional((em) => insertEntities(em, [row()]))).rejects.toBeInstanceOf(UniqueConstraintViolationException);
    await expect(insertEntities(fresh(), [row()])).rejects.toBeInstanceOf(UniqueConstraintViolationException);
    expect(await fresh().count(InboundWebhook, { dedupeKey: 'same-notification' })).toBe(1);
  });

  it('outside a transaction, binds values and reads rows back as inside one (dates, JSON, bigint, text with ? and quotes)', async () => {
    const session = newSession({ metadata: { note: "a ? and a ' quote", sku: 'B-1' } });
    await insertEntities(fresh(), [session]);
    const [row] = await runSql(fresh(), 'select * from sessions where id = ? and description = ? and expires_at = ?', [session.id, session.description, session.expiresAt]);
    expect(row).toBeDefined();
    const outside = (await readSession(fresh(), 'id = ?', [session.id], { forUpdate: false }))!;
    const inside = (await fresh().transactional((em) => readSession(em, 'id = ?', [session.id], { forUpdate: true })))!;
    for (const read of [outside, inside]) {
      expect(read).toMatchObject({ amount: session.amount, description: session.description, metadata: session.metadata, expiresAt: session.expiresAt, late: false });
    }
  });

  it('never writes an outbound event outside the transaction of the change it reports', async () => {
    const outbox = app.paymux.app.get(Outbox);
    await expect(outbox.record(fresh(), 'session.succeeded', { sessionId: 'sess_x' }, {})).rejects.toThrow('the outbox is written in the transaction of the change it reports');
  });
});
