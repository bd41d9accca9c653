import {
  CompiledQuery,
  PostgresAdapter,
  sql,
  type ColumnDefinitionBuilder,
  type Compilable,
  type ColumnDataType,
  type Kysely,
} from 'kysely';
import { ROWS_AS_ARRAYS } from './connection';
import type { Db } from './schema';

/**
 * SQL that differs between engines lives behind these functions (DESIGN: store/ only); services
 * never ask which engine they run on.
 */
export type Engine = 'sqlite' | 'postgres';

// Kysely<any>: migrations ask too, and they must not depend on today's schema types.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function engineOf(db: Kysely<any>): Engine {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

/**
 * `INDEXED BY`: without statistics SQLite prefers the (type, ts) index for every verification
 * query, even where the partial (user, network, ts) index reads a tenth as much; this pins it.
 * PostgreSQL plans from statistics: its connection drops these hints (store/postgres.ts).
 */
export const INDEXED_BY = 'INDEXED BY ';

export function indexedBy(index: string) {
  return sql.raw(`${INDEXED_BY}${index}`);
}

/** A failure counts as a typo when the same user succeeds within this time after it. */
export const TYPO_GRACE_MS = 10 * 60 * 1000;

/**
 * Runs a select and answers its rows as arrays of column values in select-list order, for
 * walking the whole trail (export) where building an object per row costs more than reading it.
 */
export async function selectRowsAsArrays<Row extends readonly unknown[]>(
  db: Db,
  query: Compilable,
): Promise<Row[]> {
  const compiled = query.compile();
  if (engineOf(db) === 'postgres') {
    const result = await db.executeQuery<Record<string, unknown>>(compiled);
    return result.rows.map((row) => Object.values(row) as unknown as Row);
  }
  const result = await db.executeQuery<Row>(
    CompiledQuery.raw(ROWS_AS_ARRAYS + compiled.sql, [...compiled.parameters]),
  );
  return result.rows;
}

/**
 * An integer primary key the database numbers itself: SQLite's rowid alias (AUTOINCREMENT when
 * ids must never be reused), PostgreSQL's bigserial. Use as `.addColumn('id', ...generatedId(db))`.
 */
export function generatedId(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  db: Kysely<any>,
  options: { neverReused?: boolean } = {},
): [ColumnDataType, (column: ColumnDefinitionBuilder) => ColumnDefinitionBuilder] {
  if (engineOf(db) === 'postgres') return ['bigserial', (c) => c.primaryKey()];
  return [
    'integer',
    (c) => (options.neverReused ? c.primaryKey().autoIncrement() : c.primaryKey()),
  ];
}

const APPEND_ONLY_MESSAGE = 'audit_events is append-only';

/** Makes the database itself refuse UPDATE or DELETE on the audit trail. */
export async function createAppendOnlyTrigger(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  db: Kysely<any>,
  operation: 'update' | 'delete',
): Promise<void> {
  const name = sql.raw(`audit_events_no_${operation}`);
  const verb = sql.raw(operation.toUpperCase());
  if (engineOf(db) === 'postgres') {
    await sql`CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger
      LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION '${sql.raw(APPEND_ONLY_MESSAGE)}'; END $$`.execute(
      db,
    );
    await sql`CREATE TRIGGER ${name} BEFORE ${verb} ON audit_events
      FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()`.execute(db);
    return;
  }
  await sql`CREATE TRIGGER ${name} BEFORE ${verb} ON audit_events
    BEGIN SELECT RAISE(ABORT, '${sql.raw(APPEND_ONLY_MESSAGE)}'); END`.execute(db);
}

/** Lifts the append-only guard for a migration that rewrites derived columns. */
export async function dropAppendOnlyTrigger(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  db: Kysely<any>,
  operation: 'update' | 'delete',
): Promise<void> {
  const name = sql.raw(`audit_events_no_${operation}`);
  if (engineOf(db) === 'postgres') await sql`DROP TRIGGER ${name} ON audit_events`.execute(db);
  else await sql`DROP TRIGGER ${name}`.execute(db);
}

/**
 * Before appending many rows in one transaction. PostgreSQL plans from statistics taken before
 * the transaction began, when the new rows did not exist: it would scan the whole growing table
 * for every duplicate check instead of using the index. SQLite needs nothing.
 */
export async function prepareForBulkAppend(trx: Db): Promise<void> {
  if (engineOf(trx) === 'postgres') await sql`SET LOCAL enable_seqscan = off`.execute(trx);
}

export const HOUR_MS = 3_600_000;

/**
 * The hour (since the epoch, floored, also before 1970) of an integer millisecond column, as
 * SQL both engines read the same way: their integer division truncates toward zero.
 */
export function hourOf(column: string) {
  const ts = `CAST(${column} AS BIGINT)`;
  return sql.raw(
    `(CASE WHEN ${ts} >= 0 THEN ${ts} / ${HOUR_MS} ELSE (${ts} + 1) / ${HOUR_MS} - 1 END)`,
  );
}

/** Fills an empty audit_hourly_counts from the trail (the migration, and the repair). */
export async function countTrailByHour(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  db: Kysely<any>,
): Promise<void> {
  await sql`INSERT INTO audit_hourly_counts (hour, type, n)
    SELECT ${hourOf('ts')}, type, count(*) FROM audit_events GROUP BY 1, 2`.execute(db);
}
