import { sql } from 'kysely';
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

export interface AuditFilter {
  types?: string[];
  email?: string;
  userId?: string;
  ip?: string;
  method?: string;
  sinceMs?: number;
  untilMs?: number;
  /** Substring of the user agent or the details JSON. */
  text?: string;
}

/** Position after which the next page starts: newest first, ties broken by id. */
export interface AuditCursor {
  ts: number;
  id: number;
}

/** One page of events, newest first, by keyset on (ts, id): no OFFSET, so deep pages stay fast. */
export async function queryAuditEvents(
  db: Db,
  filter: AuditFilter,
  after: AuditCursor | null,
  limit: number,
): Promise<AuditEventRow[]> {
  let query = db.selectFrom('audit_events').selectAll();
  if (filter.types?.length) query = query.where('type', 'in', filter.types);
  if (filter.email) query = query.where('email', '=', filter.email);
  if (filter.userId) query = query.where('user_id', '=', filter.userId);
  if (filter.ip) query = query.where('ip', '=', filter.ip);
  if (filter.method) query = query.where('method', '=', filter.method);
  if (filter.sinceMs !== undefined) query = query.where('ts', '>=', filter.sinceMs);
  if (filter.untilMs !== undefined) query = query.where('ts', '<', filter.untilMs);
  if (filter.text) {
    const pattern = `%${filter.text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where(
      sql<boolean>`(user_agent LIKE ${pattern} ESCAPE '\\' OR details LIKE ${pattern} ESCAPE '\\')`,
    );
  }
  if (after) {
    query = query.where((eb) =>
      eb.or([eb('ts', '<', after.ts), eb.and([eb('ts', '=', after.ts), eb('id', '<', after.id)])]),
    );
  }
  return query.orderBy('ts', 'desc').orderBy('id', 'desc').limit(limit).execute();
}
