import type { AuditEventRow, Db, NewAuditEventRow } from './schema';

/** Hash of the newest event, or null for an empty trail. Call inside a write transaction. */
export async function latestAuditHash(db: Db): Promise<string | null> {
  const row = await db
    .selectFrom('audit_events')
    .select('hash')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.hash ?? null;
}

export async function insertAuditEvent(db: Db, row: NewAuditEventRow): Promise<number> {
  const result = await db.insertInto('audit_events').values(row).executeTakeFirstOrThrow();
  return Number(result.insertId);
}

/** Every event in chain order, as a stream, for verification and export. */
export function streamAuditEvents(db: Db): AsyncIterableIterator<AuditEventRow> {
  return db.selectFrom('audit_events').selectAll().orderBy('id', 'asc').stream();
}

export async function recentAuditEvents(db: Db, limit: number): Promise<AuditEventRow[]> {
  return db.selectFrom('audit_events').selectAll().orderBy('id', 'desc').limit(limit).execute();
}
