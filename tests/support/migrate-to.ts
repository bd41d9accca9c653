import { Migrator, sql } from 'kysely';
import { connect } from '../../src/main/store/connection';
import { migrations } from '../../src/main/store/migrations';
import { connectPostgres } from '../../src/main/store/postgres';
import type { Db } from '../../src/main/store/schema';
import { createTestDatabase, onPostgres } from './engine';

export interface MigratedDatabase {
  db: Db;
  /** Closes the connection and removes the database (a PostgreSQL test database is dropped). */
  close(): Promise<void>;
}

/**
 * A database migrated exactly up to `name` (inclusive), as an older console left it: the
 * starting point of each migration's N-1 → N test. The SQLite `file`, or on PostgreSQL (when the
 * suites run there, tests/support/engine.ts) a new empty database on the test server.
 */
export async function databaseAtMigration(file: string, name: string): Promise<MigratedDatabase> {
  const database = onPostgres ? await createTestDatabase() : null;
  const db = database ? connectPostgres(database.url, { max: 2 }) : connect(file).db;
  const close = async () => {
    await db.destroy();
    await database?.drop();
  };
  const { error } = await migrateTo(db, name);
  if (error) {
    await close();
    throw error;
  }
  return { db, close };
}

/** Applies this build's migrations up to `name` (inclusive), as a console of that version did. */
export function migrateTo(db: Db, name: string) {
  return new Migrator({ db, provider: { getMigrations: async () => migrations } }).migrateTo(name);
}

/**
 * The indexes made by CREATE INDEX (not those behind a key or a UNIQUE constraint), of `table`
 * or of every table, sorted.
 */
export async function indexNamesOf(db: Db, table?: string): Promise<string[]> {
  const rows = onPostgres
    ? await sql<{ name: string }>`
        SELECT c.relname AS name FROM pg_index i
        JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid
        WHERE t.relnamespace = 'public'::regnamespace
          AND (${table ?? null}::text IS NULL OR t.relname = ${table ?? null})
          AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)`.execute(
        db,
      )
    : await sql<{ name: string }>`
        SELECT name FROM sqlite_master
        WHERE type = 'index' AND sql IS NOT NULL
          AND (${table ?? null} IS NULL OR tbl_name = ${table ?? null})`.execute(db);
  return rows.rows.map((row) => row.name).sort();
}

/** How each engine words a refused write. */
export const refused = onPostgres
  ? { foreignKey: /violates foreign key constraint/, check: /violates check constraint/ }
  : { foreignKey: /FOREIGN KEY/, check: /CHECK constraint failed/ };
