import { Migrator, type Kysely } from 'kysely';
import { connect } from '../../src/main/store/connection';
import { migrations } from '../../src/main/store/migrations';
import type { Database } from '../../src/main/store/schema';

/**
 * A database file migrated exactly up to `name` (inclusive), as an older console left it: the
 * starting point of each migration's N-1 → N test.
 */
export async function databaseAtMigration(file: string, name: string): Promise<Kysely<Database>> {
  const { db } = connect(file);
  const { error } = await new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
  }).migrateTo(name);
  if (error) throw error;
  return db;
}
