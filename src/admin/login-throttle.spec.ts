import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MikroORM } from '@mikro-orm/core';
import { Clock } from '../clock';
import { ormOptions } from '../database/orm-config';
import { LoginThrottle } from './login-throttle';

describe('login throttle', () => {
  let dir: string;
  let orm: MikroORM;
  const clock = new Clock();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'paymux-throttle-'));
    orm = await MikroORM.init(ormOptions({ databaseUrl: null, dataDir: dir, sqlitePath: join(dir, 'paymux.sqlite') }));
    await orm.getMigrator().up();
  });
  afterAll(async () => {
    await orm.close();
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => clock.freeze(new Date('2026-12-01T00:00:00Z')));

  // One throttle per instance, one database: what one instance records, the other enforces.
  const twoInstances = () => [new LoginThrottle(orm.em, clock), new LoginThrottle(orm.em, clock)] as const;

  it('blocks an e-mail after 5 failures within 15 minutes from any address, in every instance, until they age out', async () => {
    const [one, other] = twoInstances();
    for (let i = 0; i < 5; i++) {
      expect(await other.isBlocked('A@example.com', '10.0.0.9')).toBe(false);
      await (i % 2 ? one : other).recordFailure('a@example.com', `10.0.0.${i}`);
      clock.advance(1000);
    }
    expect(await one.isBlocked('a@example.com ', '10.0.0.9')).toBe(true);
    expect(await other.isBlocked('A@EXAMPLE.COM', '10.0.0.8')).toBe(true);
    expect(await other.isBlocked('b@example.com', '10.0.0.9')).toBe(false);
    clock.advance(15 * 60 * 1000);
    expect(await one.isBlocked('a@example.com', '10.0.0.9')).toBe(false);
  });

  it('blocks a client address after 20 failures on any e-mails, for every e-mail, in every instance', async () => {
    const [one, other] = twoInstances();
    for (let i = 0; i < 20; i++) {
      expect(await one.isBlocked('fresh@example.com', '192.0.2.7')).toBe(false);
      await (i % 2 ? one : other).recordFailure(`user${i}@example.com`, '192.0.2.7');
    }
    expect(await other.isBlocked('fresh@example.com', '192.0.2.7')).toBe(true);
    expect(await one.isBlocked('fresh@example.com', '192.0.2.8')).toBe(false);
  });

  it('forgets the failures of an e-mail from an address after a successful sign-in there', async () => {
    const [one, other] = twoInstances();
    for (let i = 0; i < 4; i++) await one.recordFailure('c@example.com', 'ip');
    await other.recordSuccess('c@example.com', 'ip');
    await one.recordFailure('c@example.com', 'ip');
    expect(await other.isBlocked('c@example.com', 'ip')).toBe(false);
  });

  it('deletes failures older than the window and keeps the recent ones', async () => {
    const [one] = twoInstances();
    await one.recordFailure('d@example.com', 'old');
    clock.advance(16 * 60 * 1000);
    for (let i = 0; i < 5; i++) await one.recordFailure('d@example.com', 'new');
    expect(await one.purgeOld()).toBeGreaterThanOrEqual(1);
    expect(await one.isBlocked('d@example.com', 'elsewhere')).toBe(true);
  });
});
