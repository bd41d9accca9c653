import {
  CompiledQuery,
  SqliteAdapter,
  SqliteDialect,
  sql,
  type Compilable,
  type DialectAdapter,
} from 'kysely';
import { APPEND_ONLY_MESSAGE, type Engine, type EngineAdapter } from './engine';
import type { Db } from './schema';

/**
 * A query whose SQL starts with this comment returns each row as an array of column values
 * (better-sqlite3's raw mode, set by store/connection.ts's statement cache): walking millions of
 * rows, an object per row is most of the cost. Use it through `selectRowsAsArrays`.
 */
export const ROWS_AS_ARRAYS = '/* rows as arrays */ ';

/** The embedded SQLite file, through better-sqlite3. */
export const sqliteEngine: Engine = {
  blocksThread: true,
  sharedByConsoles: false,
  prefersMultiRowInsert: false,
  readsLongSelectsByCursor: false,

  // BEGIN IMMEDIATE takes SQLite's one write lock now, not at the first write.
  beginWriteTransaction: async (conn) => {
    await sql`BEGIN IMMEDIATE`.execute(conn);
  },

  // Without statistics SQLite prefers the (type, ts) index for every verification query, even
  // where the partial (user, network, ts) index reads a tenth as much; the hint pins it.
  indexedBy: (index) => sql.raw(`INDEXED BY ${index}`),

  likeIgnoringCase: () => sql.raw('LIKE'),

  async selectRowsAsArrays<Row extends readonly unknown[]>(
    db: Db,
    query: Compilable,
  ): Promise<Row[]> {
    const compiled = query.compile();
    const result = await db.executeQuery<Row>(
      CompiledQuery.raw(ROWS_AS_ARRAYS + compiled.sql, [...compiled.parameters]),
    );
    return result.rows;
  },

  // The rowid alias; AUTOINCREMENT where ids must never be reused.
  generatedId: (options = {}) => [
    'integer',
    (c) => (options.neverReused ? c.primaryKey().autoIncrement() : c.primaryKey()),
  ],

  async createAppendOnlyTrigger(db, operation) {
    const name = sql.raw(`audit_events_no_${operation}`);
    const verb = sql.raw(operation.toUpperCase());
    await sql`CREATE TRIGGER ${name} BEFORE ${verb} ON audit_events
      BEGIN SELECT RAISE(ABORT, '${sql.raw(APPEND_ONLY_MESSAGE)}'); END`.execute(db);
  },

  async dropAppendOnlyTrigger(db, operation) {
    await sql`DROP TRIGGER ${sql.raw(`audit_events_no_${operation}`)}`.execute(db);
  },

  // SQLite plans each statement as it comes: nothing to prepare.
  prepareForBulkAppend: async () => undefined,

  async explain(db, compiled) {
    const result = await db.executeQuery<{ detail: string }>(
      CompiledQuery.raw(`EXPLAIN QUERY PLAN ${compiled.sql}`, [...compiled.parameters]),
    );
    return result.rows.map((row) => row.detail);
  },
};

class SqliteEngineAdapter extends SqliteAdapter implements EngineAdapter {
  readonly engine = sqliteEngine;
}

/** Kysely's SQLite dialect, its adapter carrying `sqliteEngine` (store/engine.ts's `engineOf`). */
export class SqliteEngineDialect extends SqliteDialect {
  override createAdapter(): DialectAdapter {
    return new SqliteEngineAdapter();
  }
}
