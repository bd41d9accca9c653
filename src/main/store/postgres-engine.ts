import {
  CompiledQuery,
  PostgresAdapter,
  PostgresDialect,
  sql,
  type Compilable,
  type DialectAdapter,
} from 'kysely';
import { APPEND_ONLY_MESSAGE, type Engine, type EngineAdapter } from './engine';
import type { Db } from './schema';

/**
 * The one lock every console's writes take on a shared PostgreSQL database (an arbitrary,
 * fixed advisory-lock key: "o2fa" in ASCII).
 */
const WRITE_LOCK_KEY = 0x6f326661;

/** A shared PostgreSQL database, through node-postgres' pool. */
export const postgresEngine: Engine = {
  blocksThread: false,
  sharedByConsoles: true,
  prefersMultiRowInsert: true,
  readsLongSelectsByCursor: true,

  // Every console takes the same transaction-scoped advisory lock first, so writers in other
  // processes and on other machines queue as SQLite's writers do.
  async beginWriteTransaction(conn) {
    await sql`BEGIN`.execute(conn);
    await sql`SELECT pg_advisory_xact_lock(${sql.lit(WRITE_LOCK_KEY)})`.execute(conn);
  },

  // PostgreSQL plans from statistics and takes no hints.
  indexedBy: () => sql.raw(''),

  // PostgreSQL's LIKE is case-sensitive.
  likeIgnoringCase: () => sql.raw('ILIKE'),

  async selectRowsAsArrays<Row extends readonly unknown[]>(
    db: Db,
    query: Compilable,
  ): Promise<Row[]> {
    const result = await db.executeQuery<Record<string, unknown>>(query.compile());
    return result.rows.map((row) => Object.values(row) as unknown as Row);
  },

  // A sequence never hands out a number twice.
  generatedId: () => ['bigserial', (c) => c.primaryKey()],

  async createAppendOnlyTrigger(db, operation) {
    const name = sql.raw(`audit_events_no_${operation}`);
    const verb = sql.raw(operation.toUpperCase());
    await sql`CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger
      LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION '${sql.raw(APPEND_ONLY_MESSAGE)}'; END $$`.execute(
      db,
    );
    await sql`CREATE TRIGGER ${name} BEFORE ${verb} ON audit_events
      FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()`.execute(db);
  },

  async dropAppendOnlyTrigger(db, operation) {
    await sql`DROP TRIGGER ${sql.raw(`audit_events_no_${operation}`)} ON audit_events`.execute(db);
  },

  // PostgreSQL plans from statistics taken before the transaction began, when the new rows did
  // not exist: it would scan the whole growing table for every duplicate check instead of using
  // the index.
  async prepareForBulkAppend(trx) {
    await sql`SET LOCAL enable_seqscan = off`.execute(trx);
  },

  // A test's few hundred rows make a sequential scan the cheapest plan for everything; priced
  // out, one remains only where no index can serve the step, which is what a plan is asked for.
  async explain(db, compiled) {
    return db.transaction().execute(async (trx) => {
      await sql`SET LOCAL enable_seqscan = off`.execute(trx);
      const result = await trx.executeQuery<{ 'QUERY PLAN': string }>(
        CompiledQuery.raw(`EXPLAIN ${compiled.sql}`, [...compiled.parameters]),
      );
      return result.rows.map((row) => row['QUERY PLAN']);
    });
  },
};

class PostgresEngineAdapter extends PostgresAdapter implements EngineAdapter {
  readonly engine = postgresEngine;
}

/** Kysely's PostgreSQL dialect, its adapter carrying `postgresEngine` (store/engine.ts). */
export class PostgresEngineDialect extends PostgresDialect {
  override createAdapter(): DialectAdapter {
    return new PostgresEngineAdapter();
  }
}
