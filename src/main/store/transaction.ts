import { sql } from 'kysely';
import { engineOf } from './engine';
import type { Db } from './schema';

/**
 * Runs `work` in a write transaction that holds the database's single write lock from its first
 * statement: SQLite's BEGIN IMMEDIATE, or on PostgreSQL a transaction-scoped advisory lock every
 * console takes. So read-then-write sequences (appending to the audit chain, spending a TOTP step
 * or a backup code, counting failures) never interleave with another writer, in this process or
 * another console's. Do not nest: the connection is held until `work` ends.
 */
export async function writeTransaction<T>(db: Db, work: (trx: Db) => Promise<T>): Promise<T> {
  const engine = engineOf(db);
  return db.connection().execute(async (conn) => {
    const committed: Array<() => void> = [];
    onCommit.set(conn, committed);
    try {
      await engine.beginWriteTransaction(conn);
      const result = await work(conn);
      await sql`COMMIT`.execute(conn);
      onCommit.delete(conn);
      for (const callback of committed) callback();
      return result;
    } catch (error) {
      onCommit.delete(conn);
      await sql`ROLLBACK`.execute(conn).catch(() => undefined);
      throw error;
    }
  });
}

/** What to do once each open write transaction has committed, by its connection. */
const onCommit = new WeakMap<Db, Array<() => void>>();

/**
 * Runs `callback` after the write transaction `trx` belongs to commits, never if it rolls back:
 * for caches of what is stored (a rolled-back row must not be remembered as written). Outside a
 * writeTransaction it is never called.
 */
export function afterCommit(trx: Db, callback: () => void): void {
  onCommit.get(trx)?.push(callback);
}

/**
 * An object unique to the write transaction `trx` is in, for what holds only within it (a
 * WeakMap key); undefined outside a writeTransaction.
 */
export function transactionKey(trx: Db): object | undefined {
  return onCommit.get(trx);
}
