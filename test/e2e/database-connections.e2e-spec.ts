import { Client } from 'pg';
import { startTestApp } from '../support/app';
import { createTestDatabase, usingPostgres } from '../support/database';
import { waitFor } from '../support/wait';

// About PostgreSQL's connections: SQLite has one file and no pools.
const describePostgres = usingPostgres() ? describe : describe.skip;

/** What an operator sizes `max_connections` by: an instance's connections are bounded, and all go when it stops. */
describePostgres('connections to PostgreSQL', () => {
  async function connectionsTo(url: string): Promise<number> {
    const database = new URL(url).pathname.slice(1);
    const client = new Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
    try {
      const { rows } = await client.query('select count(*)::int as count from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [database]);
      return rows[0].count as number;
    } finally {
      await client.end();
    }
  }

  it('stay within both pools (20) under load, and are all closed when the application stops', async () => {
    const database = await createTestDatabase();
    try {
      const app = await startTestApp({}, database);
      const product = await app.api().post('/v1/products', { name: 'Pooled', amount: 100, currency: 'USD' }).expect(201);
      // Reads outside a transaction and writes in transactions, 60 at once.
      await Promise.all(
        Array.from({ length: 60 }, (_, i) =>
          i % 2 === 0
            ? app.api().get(`/v1/products/${product.body.id}`).expect(200)
            : app.api().post('/v1/customers', { email: `pool-${i}@example.com` }).expect(201),
        ),
      );
      const open = await connectionsTo(database.env.DATABASE_URL);
      expect(open).toBeGreaterThan(0);
      expect(open).toBeLessThanOrEqual(20);
      await app.close();
      // A backend leaves pg_stat_activity moments after its client hangs up.
      await waitFor(async () => (await connectionsTo(database.env.DATABASE_URL)) === 0);
    } finally {
      await database.drop();
    }
  });
});
