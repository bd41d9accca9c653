import BetterSqlite3 from 'better-sqlite3';
import { Kysely, type SqliteDatabase, type SqliteStatement } from 'kysely';
import type { Database, Db } from './schema';
import { ROWS_AS_ARRAYS, SqliteEngineDialect } from './sqlite-engine';

export interface ConnectOptions {
  readonly?: boolean;
  fileMustExist?: boolean;
  /** A better-sqlite3 native addon built for another ABI (Electron's). */
  nativeBinding?: string;
  /**
   * Page cache in KiB (default 64 MiB). A connection that only reads the trail once, front to
   * back (an export worker), gains nothing from a large one.
   */
  cacheKib?: number;
}

/** Statements kept prepared per connection: every query the console runs, with room to spare. */
const STATEMENT_CACHE_SIZE = 500;
/** Page cache per connection: audit indexes on hashes are written at random. */
const CACHE_SIZE_KIB = 64 * 1024;

/**
 * Kysely prepares every query afresh; SQLite's prepare costs as much as running a small query.
 * Keeping prepared statements by SQL text (least recently used dropped first) makes each query
 * cost what the bare driver costs. A statement still being iterated (a stream) is not shared.
 */
export function withStatementCache(sqlite: BetterSqlite3.Database): SqliteDatabase {
  const cache = new Map<string, BetterSqlite3.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(sql: string): SqliteStatement {
      const cached = cache.get(sql);
      if (cached && !cached.busy) {
        cache.delete(sql);
        cache.set(sql, cached);
        return cached;
      }
      const statement = sqlite.prepare(sql);
      if (sql.startsWith(ROWS_AS_ARRAYS)) statement.raw(true);
      if (!cached) {
        cache.set(sql, statement);
        if (cache.size > STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
      }
      return statement;
    },
  };
}

/** A connection with the console's settings, for the main store, the workers and the benchmark. */
export function connect(
  file: string,
  options: ConnectOptions = {},
): { sqlite: BetterSqlite3.Database; db: Db } {
  const sqlite = new BetterSqlite3(file, {
    ...(options.readonly ? { readonly: true } : {}),
    ...(options.fileMustExist ? { fileMustExist: true } : {}),
    ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
  });
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  // Negative: a size in KiB rather than in pages.
  sqlite.pragma(`cache_size = -${options.cacheKib ?? CACHE_SIZE_KIB}`);
  const db = new Kysely<Database>({
    dialect: new SqliteEngineDialect({ database: withStatementCache(sqlite) }),
  });
  return { sqlite, db };
}
