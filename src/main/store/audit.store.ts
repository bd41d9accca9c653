import { CompiledQuery, sql } from 'kysely';
import { int, unresolvedFailure } from './analytics.store';
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

/**
 * Inserts rows in order, a few hundred per statement (SQLite caps bound variables per statement).
 * Returns the id of the last row each statement inserted (so, for one row, its id).
 */
export async function insertAuditEvents(db: Db, rows: NewAuditEventRow[]): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
    const result = await db
      .insertInto('audit_events')
      .values(rows.slice(i, i + INSERT_CHUNK))
      .executeTakeFirstOrThrow();
    ids.push(Number(result.insertId));
  }
  return ids;
}

const INSERT_CHUNK = 500;

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
  /** Exact address, as its ip_key. */
  ipKey?: string;
  /** A CIDR block, as an inclusive ip_key range. */
  ipKeyRange?: { low: string; high: string };
  method?: string;
  sinceMs?: number;
  untilMs?: number;
  /** Substring of the user agent or the details JSON. */
  text?: string;
  /** Only failures the user did not put right within minutes (typos excluded). */
  unresolved?: boolean;
  /** No event newer than this id (an export's snapshot of the chain). */
  maxId?: number;
  /** Local weekday (0 = Sunday) and hour, shifted by tzOffsetMs from UTC. */
  weekday?: number;
  hour?: number;
  tzOffsetMs?: number;
}

/** Position after which the next page starts: newest first, ties broken by id. */
export interface AuditCursor {
  ts: number;
  id: number;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** `ts` shifted to local time; integer division gives hours and days on SQLite and PostgreSQL. */
function localTs(tzOffsetMs: number) {
  return sql<number>`(ts + ${int(tzOffsetMs)})`;
}

/** Every filter but the event type, which the caller applies (it decides the index). */
function filtered(db: Db, filter: AuditFilter, after: AuditCursor | null) {
  let query = db.selectFrom('audit_events').selectAll();
  if (filter.userId) query = query.where('user_id', '=', filter.userId);
  if (filter.email) query = query.where('email', '=', filter.email);
  if (filter.ipKey) query = query.where('ip_key', '=', filter.ipKey);
  if (filter.ipKeyRange) {
    query = query
      .where('ip_key', '>=', filter.ipKeyRange.low)
      .where('ip_key', '<=', filter.ipKeyRange.high);
  }
  if (filter.method) query = query.where('method', '=', filter.method);
  if (filter.sinceMs !== undefined) query = query.where('ts', '>=', filter.sinceMs);
  if (filter.untilMs !== undefined) query = query.where('ts', '<', filter.untilMs);
  if (filter.text) {
    const pattern = `%${filter.text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where(
      sql<boolean>`(user_agent LIKE ${pattern} ESCAPE '\\' OR details LIKE ${pattern} ESCAPE '\\')`,
    );
  }
  if (filter.unresolved) query = query.where(unresolvedFailure());
  if (filter.maxId !== undefined) query = query.where('id', '<=', filter.maxId);
  const offset = filter.tzOffsetMs ?? 0;
  if (filter.hour !== undefined)
    query = query.where(
      sql<boolean>`${localTs(offset)} / ${int(HOUR_MS)} % 24 = ${int(filter.hour)}`,
    );
  if (filter.weekday !== undefined) {
    // 1970-01-01 was a Thursday (4).
    query = query.where(
      sql<boolean>`(${localTs(offset)} / ${int(DAY_MS)} + 4) % 7 = ${int(filter.weekday)}`,
    );
  }
  if (after) {
    query = query.where((eb) =>
      eb.or([eb('ts', '<', after.ts), eb.and([eb('ts', '=', after.ts), eb('id', '<', after.id)])]),
    );
  }
  return query;
}

/**
 * One page of events, newest first, by keyset on (ts, id): no OFFSET, so deep pages stay fast.
 * Several types become a UNION ALL of one ordered, limited range per type, each served by the
 * (type, ts) index, instead of one scan that would have to sort every match.
 */
function auditPageQuery(db: Db, filter: AuditFilter, after: AuditCursor | null, limit: number) {
  const types = filter.types ?? [];
  const narrowedByOther = Boolean(filter.userId || filter.email || filter.ipKey);
  if (types.length <= 1 || narrowedByOther) {
    let query = filtered(db, filter, after);
    if (types.length === 1) query = query.where('type', '=', types[0]!);
    else if (types.length > 1) query = query.where('type', 'in', types);
    return query.orderBy('ts', 'desc').orderBy('id', 'desc').limit(limit);
  }
  const perType = types.map((type, i) =>
    db
      .selectFrom(
        filtered(db, filter, after)
          .where('type', '=', type)
          .orderBy('ts', 'desc')
          .orderBy('id', 'desc')
          .limit(limit)
          .as(`t${i}`),
      )
      .selectAll(),
  );
  const union = perType.slice(1).reduce((acc, next) => acc.unionAll(next), perType[0]!);
  return db
    .selectFrom(union.as('matches'))
    .selectAll()
    .orderBy('ts', 'desc')
    .orderBy('id', 'desc')
    .limit(limit);
}

export async function queryAuditEvents(
  db: Db,
  filter: AuditFilter,
  after: AuditCursor | null,
  limit: number,
): Promise<AuditEventRow[]> {
  return auditPageQuery(db, filter, after, limit).execute() as Promise<AuditEventRow[]>;
}

/** SQLite's plan for a query, one line per step; tests assert page and chart queries use indexes. */
export async function explainQuery(db: Db, compiled: CompiledQuery): Promise<string[]> {
  const result = await db.executeQuery<{ detail: string }>(
    CompiledQuery.raw(`EXPLAIN QUERY PLAN ${compiled.sql}`, [...compiled.parameters]),
  );
  return result.rows.map((row) => row.detail);
}

export function explainAuditPage(
  db: Db,
  filter: AuditFilter,
  after: AuditCursor | null,
): Promise<string[]> {
  return explainQuery(db, auditPageQuery(db, filter, after, 100).compile());
}

/** Which of these content hashes are already in the trail (chunked: bound-variable limits). */
export async function existingContentHashes(db: Db, hashes: string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < hashes.length; i += 500) {
    const rows = await db
      .selectFrom('audit_events')
      .select('content_hash')
      .where('content_hash', 'in', hashes.slice(i, i + 500))
      .execute();
    for (const row of rows) if (row.content_hash) found.add(row.content_hash);
  }
  return found;
}

/** The newest event: the chain head an export's manifest names. */
export async function chainHead(db: Db): Promise<{ id: number; hash: string } | null> {
  const row = await db
    .selectFrom('audit_events')
    .select(['id', 'hash'])
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ?? null;
}

/** Every event matching a filter in chain order, streamed in chunks (for exports of any size). */
export function streamFilteredEvents(
  db: Db,
  filter: AuditFilter,
): AsyncIterableIterator<AuditEventRow> {
  let query = filtered(db, filter, null);
  if (filter.types?.length) query = query.where('type', 'in', filter.types);
  return query.orderBy('id').stream(1000) as AsyncIterableIterator<AuditEventRow>;
}

export async function countAuditEvents(db: Db): Promise<number> {
  const row = await db
    .selectFrom('audit_events')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
