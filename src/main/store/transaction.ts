import { sql } from 'kysely';
import { engineOf } from './dialect';
import type { Db } from './schema';

/**
 * The one lock every console's writes take on a shared PostgreSQL database (an arbitrary,
 * fixed advisory-lock key: "o2fa" in ASCII).
 */
const WRITE_LOCK_KEY = 0x6f326661;

/**
 * Runs `work` in a write transaction that holds the database's single write lock from its first
 * statement: SQLite's BEGIN IMMEDIATE, or on PostgreSQL a transaction-scoped advisory lock every
 * console takes. So read-then-write sequences (appending to the audit chain, spending a TOTP step
 * or a backup code, counting failures) never interleave with another writer, in this process or
 * another console's. Do not nest: the connection is held until `work` ends.
 */
export async function writeTransaction<T>(db: Db, work: (trx: Db) => Promise<T>): Promise<T> {
  const postgres = engineOf(db) === 'postgres';
  return db.connection().execute(async (conn) => {
    await sql.raw(postgres ? 'BEGIN' : 'BEGIN IMMEDIATE').execute(conn);
    try {
      if (postgres)
        await sql`SELECT pg_advisory_xact_lock(${sql.lit(WRITE_LOCK_KEY)})`.execute(conn);
      const result = await work(conn);
      await sql`COMMIT`.execute(conn);
      return result;
    } catch (error) {
      await sql`ROLLBACK`.execute(conn).catch(() => undefined);
      throw error;
    }
  });
}
