import BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import { migrations } from '../../src/main/store/migrations';
import type { Database } from '../../src/main/store/schema';

/**
 * A database file migrated exactly up to `name` (inclusive), as an older console left it: the
 * starting point of each migration's N-1 → N test.
 */
export async function databaseAtMigration(file: string, name: string): Promise<Kysely<Database>> {
  const db = new Kysely<Database>({
    dialect: new SqliteDialect({ database: new BetterSqlite3(file) }),
  });
  const { error } = await new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
  }).migrateTo(name);
  if (error) throw error;
  return db;
}
