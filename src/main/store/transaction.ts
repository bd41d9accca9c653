import { sql } from 'kysely';
import type { Db } from './schema';

/**
 * Runs `work` in a write transaction that takes the write lock up front (SQLite's
 * BEGIN IMMEDIATE), so read-then-write sequences such as appending to the audit chain never
 * interleave with another process. Do not nest: the connection is held until `work` ends.
 */
export async function writeTransaction<T>(db: Db, work: (trx: Db) => Promise<T>): Promise<T> {
  return db.connection().execute(async (conn) => {
    await sql`BEGIN IMMEDIATE`.execute(conn);
    try {
      const result = await work(conn);
      await sql`COMMIT`.execute(conn);
      return result;
    } catch (error) {
      await sql`ROLLBACK`.execute(conn);
      throw error;
    }
  });
}
