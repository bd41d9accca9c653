import type {
  ColumnDataType,
  ColumnDefinitionBuilder,
  Compilable,
  CompiledQuery,
  DialectAdapter,
  Kysely,
  RawBuilder,
} from 'kysely';
import type { Db } from './schema';

/**
 * Everything that differs between the embedded SQLite file and a shared PostgreSQL server, in
 * one object made with the connection (in the spirit of Kysely's own `DialectAdapter`): its two
 * implementations are `sqlite-engine.ts` and `postgres-engine.ts`. Nothing else in the console
 * asks which engine it runs on; it asks the engine for the SQL, or for what it is like.
 */
export interface Engine {
  /**
   * Its driver blocks the thread that queries (better-sqlite3 is synchronous): long work runs in
   * worker threads that open the database file themselves. Otherwise it runs in-process.
   */
  readonly blocksThread: boolean;
  /** Several consoles share the database, and with it the org's master key. */
  readonly sharedByConsoles: boolean;
  /**
   * Many rows go in faster as multi-row INSERTs (each statement is a round trip) than as one
   * prepared single-row INSERT per row (SQLite's fastest way, in process).
   */
  readonly prefersMultiRowInsert: boolean;
  /**
   * A long select (an export) is best read as one query through a server-side cursor, planned
   * once; otherwise as consecutive indexed id ranges.
   */
  readonly readsLongSelectsByCursor: boolean;

  /**
   * Opens a write transaction on `conn` holding the database's single write lock from its first
   * statement (store/transaction.ts commits or rolls it back).
   */
  beginWriteTransaction(conn: Db): Promise<void>;

  /**
   * A planner hint placed after a table (and its alias) in FROM: which index to read it by. Only
   * SQLite plans without statistics and needs one; elsewhere it is empty.
   */
  indexedBy(index: string): RawBuilder<unknown>;

  /** LIKE that ignores (ASCII) case: SQLite's own LIKE does, PostgreSQL's ILIKE. */
  likeIgnoringCase(): RawBuilder<unknown>;

  /**
   * Runs a select and answers its rows as arrays of column values in select-list order, for
   * walking the whole trail (export) where building an object per row costs more than reading it.
   */
  selectRowsAsArrays<Row extends readonly unknown[]>(db: Db, query: Compilable): Promise<Row[]>;

  /**
   * An integer primary key the database numbers itself (`neverReused`: an id is never handed out
   * twice, even after its row is deleted). Use as `.addColumn('id', ...engine.generatedId())`.
   */
  generatedId(options?: {
    neverReused?: boolean;
  }): [ColumnDataType, (column: ColumnDefinitionBuilder) => ColumnDefinitionBuilder];

  /** Makes the database itself refuse UPDATE or DELETE on the audit trail. */
  createAppendOnlyTrigger(db: AnyKysely, operation: AuditWrite): Promise<void>;
  /** Lifts the append-only guard for a migration that rewrites derived columns. */
  dropAppendOnlyTrigger(db: AnyKysely, operation: AuditWrite): Promise<void>;

  /** Before appending many rows in one transaction `trx` (an import). */
  prepareForBulkAppend(trx: Db): Promise<void>;

  /**
   * The plan of a query, one line per step, as the engine prints it; tests assert that page,
   * chart and migration queries read indexes.
   */
  explain(db: Db, compiled: CompiledQuery): Promise<string[]>;
}

export type AuditWrite = 'update' | 'delete';

/** Migrations use the engine too, and must not depend on today's schema types. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyKysely = Kysely<any>;

/** The message both engines' append-only triggers raise. */
export const APPEND_ONLY_MESSAGE = 'audit_events is append-only';

/** A Kysely dialect adapter that carries the console's engine for its connection. */
export interface EngineAdapter extends DialectAdapter {
  readonly engine: Engine;
}

/**
 * The engine of a connection (or of a transaction or single connection taken from it): the one
 * its dialect's adapter was made with when the database was opened (store/connection.ts,
 * store/postgres.ts).
 */
export function engineOf(db: AnyKysely): Engine {
  const adapter: DialectAdapter | Partial<EngineAdapter> = db.getExecutor().adapter;
  if ('engine' in adapter && adapter.engine) return adapter.engine;
  throw new Error('This connection was not made by store/connection.ts or store/postgres.ts.');
}
