import { helper, ReferenceKind } from '@mikro-orm/core';
import type { EntityClass, EntityData, EntityManager, EntityMetadata, EntityProperty } from '@mikro-orm/core';
import { Pool, type PoolConfig } from 'pg';

/**
 * Hand-written SQL for the hot paths: the product read and insert, session creation, the
 * session's row lock and status changes, the outbox, provider callbacks, the breakers' read and
 * the expiry job's batches. MikroORM's query builder and unit of work cost several times the
 * statement itself in CPU; these run the SQL as written, inside `em`'s transaction when it has
 * one, and map rows and values exactly as the ORM would (types, dates, JSON, bigint) through the
 * entity's metadata; `writeChanges` uses the ORM's own change detection. The SQL is portable:
 * `?` placeholders (every `?` in the text is one: no `?` in literals), `RETURNING` (PostgreSQL,
 * SQLite 3.35+), no dialect-only functions; values go through `toDatabase`, then are bound
 * (PostgreSQL) or quoted by the ORM's platform (SQLite), never pasted into the text.
 */
export function queryEntities<T extends object>(em: EntityManager, entity: EntityClass<T>, sql: string, params: readonly unknown[]): Promise<T[]> {
  return runSql(em, sql, params).then((rows) => rows.map((row) => toEntity(em, entity, row)));
}

/**
 * Runs `sql` in `em`'s transaction (if any) and returns the raw rows. A failure is MikroORM's
 * exception for it (`UniqueConstraintViolationException`, …), as for the ORM's own statements.
 */
export function runSql(em: EntityManager, sql: string, params: readonly unknown[]): Promise<Array<Record<string, unknown>>> {
  const values = params.map((value) => toDatabase(em, value));
  const transaction = em.getTransactionContext();
  const rows: Promise<Array<Record<string, unknown>>> = !isPostgres(em)
    ? em.getConnection().execute(sql, values, 'all', transaction)
    : transaction
      ? inPgTransaction(transaction as PgTransaction, sql, values)
      : outsideTransaction(em, sql, values);
  return rows.catch((error: Error) => {
    throw em.getDriver().convertException(error);
  });
}

interface PgConnection {
  query(text: string, values: unknown[]): Promise<{ rows: Array<Record<string, unknown>> }>;
}
interface KnexClient {
  acquireConnection(): Promise<PgConnection>;
  releaseConnection(connection: PgConnection): Promise<void>;
}

/** What a statement reads of the ORM's (knex's) transaction on PostgreSQL. */
interface PgTransaction {
  isCompleted(): boolean;
  client: KnexClient;
}

/**
 * A statement in a transaction on PostgreSQL: sent with its values bound on the transaction's own
 * connection (knex's transaction client hands out only that one), after the statements the ORM
 * sent before it on that connection — rather than with the values inlined into the text by the
 * ORM and run through knex's query runner, which cost a callback several times the statement.
 */
async function inPgTransaction(transaction: PgTransaction, sql: string, values: unknown[]): Promise<Array<Record<string, unknown>>> {
  if (transaction.isCompleted()) throw new Error('the transaction of this statement has already ended');
  const connection = await transaction.client.acquireConnection();
  return (await connection.query(numberedPlaceholders(sql), values)).rows;
}

/** A pool of its own for statements outside a transaction, per ORM connection (see `openStatementPool`). */
const statementPools = new WeakMap<object, Pool>();

/**
 * Opens the pool that statements outside any transaction use on PostgreSQL: `pg`'s own pool, with
 * the ORM's connection settings and type parsers (`getConnectionOptions`), beside the ORM's pool
 * (which transactions and the ORM's own statements keep using). Taking a connection from it and
 * giving it back is a few calls, where knex's pool (tarn) makes a score of promises and validates
 * the connection each time: on a single-row read that was a tenth of the request's CPU.
 * Returns the function that closes it. Without one open, such statements use the ORM's pool.
 */
export function openStatementPool(em: EntityManager, options: { max: number; onError: (error: Error) => void }): () => Promise<void> {
  const connection = em.getConnection() as unknown as { getConnectionOptions(): PoolConfig };
  const pool = new Pool({ ...connection.getConnectionOptions(), max: options.max });
  // An idle connection the server drops must not take the process down; the next query reconnects.
  pool.on('error', options.onError);
  statementPools.set(connection, pool);
  return async () => {
    statementPools.delete(connection);
    await pool.end();
  };
}

/**
 * A statement outside any transaction, on PostgreSQL: sent with its values bound (`$1`, …), on
 * the statement pool when one is open, else on a connection of the ORM's pool — without knex's
 * query runner or the ORM's inlining of values into the text.
 */
function outsideTransaction(em: EntityManager, sql: string, values: unknown[]): Promise<Array<Record<string, unknown>>> {
  const text = numberedPlaceholders(sql);
  const pool = statementPools.get(em.getConnection());
  // Without an async function's own promise and await: this is every read's path.
  if (pool) return pool.query(text, values).then((result) => result.rows as Array<Record<string, unknown>>);
  return onOrmPool(em, text, values);
}

async function onOrmPool(em: EntityManager, text: string, values: unknown[]): Promise<Array<Record<string, unknown>>> {
  const client = (em.getConnection() as unknown as { getKnex(): { client: KnexClient } }).getKnex().client;
  const connection = await client.acquireConnection();
  try {
    return (await connection.query(text, values)).rows;
  } finally {
    await client.releaseConnection(connection);
  }
}

const numbered = new Map<string, string>();

/** `?` placeholders as PostgreSQL's `$1`, `$2`, …, remembered per statement text (the hot paths repeat theirs). */
function numberedPlaceholders(sql: string): string {
  let text = numbered.get(sql);
  if (text === undefined) {
    let index = 0;
    text = sql.replace(/\?/g, () => `$${++index}`);
    // Batches vary in length: remember only short statements (those that repeat as they are).
    if (sql.length <= 2048 && numbered.size < 1000) numbered.set(sql, text);
  }
  return text;
}

/** The database of `em` is PostgreSQL (else SQLite). */
export function isPostgres(em: EntityManager): boolean {
  return em.getPlatform().constructor.name.startsWith('PostgreSql');
}

/**
 * Inserts `entities` (instances of one entity class, as built in memory) in `em`'s transaction
 * with one statement per bound-value limit, every column the entity maps, converted as the ORM
 * converts them (JSON, bigint, dates); an autoincrement key left unset is the database's. The
 * instances are not managed by `em`: the insert is the whole of it, and nothing is flushed later.
 */
export async function insertEntities<T extends object>(em: EntityManager, entities: readonly T[], options: { tracked?: boolean } = {}): Promise<void> {
  if (entities.length === 0) return;
  const meta = em.getMetadata().get<T>(entities[0].constructor.name);
  const props = insertedProps(meta, entities[0]);
  await insertRows(em, meta.tableName, props.map((prop) => prop.fieldNames[0]), entities.map((entity) => props.map((prop) => databaseValue(em, prop, entity[prop.name]))));
  // `tracked`: each keeps a snapshot of what was written, so `writeChanges` can write its later changes.
  if (options.tracked) for (const entity of entities) helper(entity).__originalEntityData = em.getComparator().prepareEntity(entity);
}

/**
 * Writes what changed in `entity` (read by the ORM or `manageRow`, or inserted `tracked`) since
 * it was read or last written, with one UPDATE of the changed columns in `em`'s transaction, as a flush would:
 * the same change detection (the ORM's snapshot comparison), the same `onUpdate` values when
 * something changed, the same column conversions; the entity then counts as flushed, so a later
 * `em.flush()` writes nothing for it. An entity not yet in the database is left to the flush.
 * Returns whether anything was written.
 */
export async function writeChanges<T extends object>(em: EntityManager, entity: T): Promise<boolean> {
  const wrapped = helper(entity);
  const original = wrapped.__originalEntityData;
  if (!original) return false;
  const meta = wrapped.__meta;
  const comparator = em.getComparator();
  const changedSince = (snapshot: EntityData<T>) => Object.keys(comparator.diffEntities(meta.className, original, snapshot));
  if (changedSince(comparator.prepareEntity(entity)).length === 0) return false;
  const fields = entity as Record<string, unknown>;
  for (const prop of meta.props) if (prop.onUpdate) fields[prop.name] = prop.onUpdate(entity, em);
  const snapshot = comparator.prepareEntity(entity);
  const properties = meta.properties as Record<string, EntityProperty<T>>;
  const props = changedSince(snapshot).map((name) => properties[name]);
  const [key] = meta.getPrimaryProps();
  await runSql(em, `update ${meta.tableName} set ${props.map((prop) => `${prop.fieldNames[0]} = ?`).join(', ')} where ${key.fieldNames[0]} = ?`,
    [...props.map((prop) => databaseValue(em, prop, fields[prop.name])), fields[key.name]]);
  wrapped.__originalEntityData = snapshot;
  return true;
}

/** `value` of `prop` as the ORM binds it (custom types: JSON text, bigint); `toDatabase` does the rest. */
function databaseValue<T>(em: EntityManager, prop: EntityProperty<T>, value: unknown): unknown {
  return prop.customType && value !== null && value !== undefined ? prop.customType.convertToDatabaseValue(value, em.getPlatform(), { mode: 'query' }) : value ?? null;
}

/** The scalar properties an insert of `sample`'s class writes (not an autoincrement key `sample` leaves unset). */
function insertedProps<T extends object>(meta: EntityMetadata<T>, sample: T): Array<EntityProperty<T>> {
  return meta.props.filter((prop) => prop.kind === ReferenceKind.SCALAR && prop.persist !== false && prop.fieldNames?.length === 1
    && !(prop.primary && prop.autoincrement && sample[prop.name] === undefined));
}

/**
 * A raw row as an instance of `entity` (not managed by `em`: nothing is flushed from it). The
 * mapping is the ORM's own: column names to properties, SQLite's integer dates and booleans
 * to Date and boolean, then each custom type's conversion (JSON text, bigint as number).
 */
export function toEntity<T extends object>(em: EntityManager, entity: EntityClass<T>, row: Record<string, unknown>): T {
  const meta = em.getMetadata().get<T>(entity.name);
  const data = em.getDriver().mapResult(row as EntityData<T>, meta) as Record<string, unknown>;
  const platform = em.getPlatform();
  for (const prop of meta.props) {
    if (prop.customType && prop.name in data) data[prop.name] = prop.customType.convertToJSValue(data[prop.name], platform);
  }
  // Plain own properties (the mapped row itself, given the entity's prototype): assigning through
  // the ORM's prototype setters would build the change tracking of a managed entity for every
  // property of every row.
  return Object.setPrototypeOf(data, entity.prototype) as T;
}

/**
 * A raw row as an entity managed by `em`, as `em.map` makes it (its changes are flushed with
 * `em`, or written by `writeChanges`), without the ORM's entity factory: the instance is
 * `toEntity`'s, registered with a snapshot of what was read. A row whose entity `em` already
 * holds refreshes that instance instead (`em.map`), so no one keeps a copy `em` no longer tracks.
 */
export function manageRow<T extends object>(em: EntityManager, entity: EntityClass<T>, row: Record<string, unknown>): T {
  const meta = em.getMetadata().get<T>(entity.name);
  const [key] = meta.getPrimaryProps();
  const uow = em.getUnitOfWork();
  if (uow.getById(entity.name, row[key.fieldNames[0]] as never)) return em.map(entity, row as EntityData<T>);
  const instance = toEntity(em, entity, row);
  uow.register(instance, em.getComparator().prepareEntity(instance), { refresh: true });
  return instance;
}

/** A bound value as the driver stores it: dates as SQLite's milliseconds, objects as JSON text. */
export function toDatabase(em: EntityManager, value: unknown): unknown {
  if (value instanceof Date) return em.getPlatform().processDateProperty(value);
  if (value !== null && typeof value === 'object') return JSON.stringify(value);
  return value;
}

/** Bound values per multi-row INSERT: well inside every driver's limit (SQLite's is 32,766). */
const VALUES_PER_INSERT = 6000;

/**
 * A multi-row `INSERT INTO table (columns) VALUES (…), (…)` of `rows` (each one value per
 * column, in order), as few statements as the bound-value limit allows.
 */
export async function insertRows(em: EntityManager, table: string, columns: readonly string[], rows: ReadonlyArray<readonly unknown[]>): Promise<void> {
  const perStatement = Math.max(1, Math.floor(VALUES_PER_INSERT / columns.length));
  const tuple = `(${placeholders(columns.length)})`;
  for (let i = 0; i < rows.length; i += perStatement) {
    const part = rows.slice(i, i + perStatement);
    await runSql(em, `insert into ${table} (${columns.join(', ')}) values ${part.map(() => tuple).join(', ')}`, part.flat());
  }
}

/** `?, ?, …` for `count` values. */
export function placeholders(count: number): string {
  return Array.from({ length: count }, () => '?').join(', ');
}
