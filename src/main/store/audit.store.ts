import { CompiledQuery, sql } from 'kysely';
import { EVENT_LIMITS, LISTED_PREVIEW_LENGTH } from '../../shared/event-file';
import { HourTally, hourOfMs } from './hourly-counts.store';
import { int, unresolvedFailure } from './verification-queries';
import { engineOf, type Engine } from './engine';
import { HOUR_MS } from './sql-fragments';
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

/** Every stored column of an event but its id, in one fixed order. */
export const AUDIT_COLUMNS = [
  'type',
  'ts',
  'user_id',
  'email',
  'ip',
  'user_agent',
  'method',
  'details',
  'source',
  'prev_hash',
  'hash',
  'ip_key',
  'network',
  'content_hash',
] as const satisfies ReadonlyArray<keyof NewAuditEventRow>;

/**
 * Inserts rows in order, returning their ids. On SQLite one single-row INSERT compiled once and
 * run per row: with the connection's statement cache that is its fastest way to insert (measured
 * faster than multi-row VALUES, which also caps at SQLite's bound-variable limit).
 */
export async function insertAuditEvents(db: Db, rows: NewAuditEventRow[]): Promise<number[]> {
  const ids = engineOf(db).prefersMultiRowInsert
    ? await insertAuditEventsInBulk(db, rows)
    : await insertAuditEventsOneByOne(db, rows);
  await addToHourlyCounts(db, rows);
  return ids;
}

async function insertAuditEventsOneByOne(db: Db, rows: NewAuditEventRow[]): Promise<number[]> {
  const template = db
    .insertInto('audit_events')
    .values(Object.fromEntries(AUDIT_COLUMNS.map((column) => [column, null])) as never)
    .compile();
  const ids: number[] = [];
  for (const row of rows) {
    const result = await db.executeQuery(
      CompiledQuery.raw(
        template.sql,
        AUDIT_COLUMNS.map((column) => row[column] ?? null),
      ),
    );
    ids.push(Number(result.insertId));
  }
  return ids;
}

/** Rows per multi-row INSERT: 14 parameters each, far below PostgreSQL's 65,535 limit. */
const MULTI_ROW_INSERT_ROWS = 1000;

/**
 * Where a round trip per row would dominate an import (PostgreSQL), rows go in as multi-row
 * INSERTs. Ids come from one sequence, taken in VALUES order, so the sorted ids are the rows'
 * ids in order.
 */
async function insertAuditEventsInBulk(db: Db, rows: NewAuditEventRow[]): Promise<number[]> {
  const ids: number[] = [];
  for (let start = 0; start < rows.length; start += MULTI_ROW_INSERT_ROWS) {
    const slice = rows
      .slice(start, start + MULTI_ROW_INSERT_ROWS)
      .map((row) =>
        Object.fromEntries(AUDIT_COLUMNS.map((column) => [column, row[column] ?? null])),
      );
    const inserted = await db
      .insertInto('audit_events')
      .values(slice as NewAuditEventRow[])
      .returning('id')
      .execute();
    ids.push(...inserted.map((r) => Number(r.id)).sort((a, b) => a - b));
  }
  return ids;
}

/** (hour, type) rows per upsert: 3 parameters each, far below either engine's limit. */
const COUNT_UPSERT_ROWS = 1000;

/**
 * Adds appended events to audit_hourly_counts, in the caller's transaction: one upsert per
 * batch, not per event. (A trigger would keep them too, but any insert trigger makes SQLite's
 * inserts about three times slower here; this is measured at a few percent.)
 */
async function addToHourlyCounts(db: Db, rows: NewAuditEventRow[]): Promise<void> {
  const tally = new HourTally();
  for (const row of rows) tally.add(hourOfMs(Number(row.ts)), row.type);
  const values = tally.values();
  for (let start = 0; start < values.length; start += COUNT_UPSERT_ROWS) {
    await db
      .insertInto('audit_hourly_counts')
      .values(values.slice(start, start + COUNT_UPSERT_ROWS))
      .onConflict((conflict) =>
        conflict
          .columns(['hour', 'type'])
          .doUpdateSet((eb) => ({ n: eb('audit_hourly_counts.n', '+', eb.ref('excluded.n')) })),
      )
      .execute();
  }
}

/** Rows read per query when walking the whole trail: memory stays flat at any size. */
const WALK_BATCH = 5000;

/**
 * Every event in chain order, in batches, for verification. Keyset pages on the primary key:
 * each batch is one indexed range, and rows arrive without a promise per row.
 */
export async function* auditEventBatches(db: Db): AsyncGenerator<AuditEventRow[]> {
  let afterId = 0;
  for (;;) {
    const rows = await db
      .selectFrom('audit_events')
      .selectAll()
      .where('id', '>', afterId)
      .orderBy('id', 'asc')
      .limit(WALK_BATCH)
      .execute();
    if (rows.length === 0) return;
    yield rows;
    afterId = rows.at(-1)!.id;
  }
}

export interface AuditFilter {
  types?: string[];
  email?: string;
  userId?: string;
  /** Exact address, as its ip_key. */
  ipKey?: string;
  /** A CIDR block, as an inclusive ip_key range. */
  ipKeyRange?: { low: string; high: string };
  /** ISO alpha-2: addresses ip_locations places there. */
  country?: string;
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

const DAY_MS = 86_400_000;

/** `ts` shifted to local time; integer division gives hours and days on SQLite and PostgreSQL. */
function localTs(tzOffsetMs: number) {
  return sql<number>`(ts + ${int(tzOffsetMs)})`;
}

/**
 * The user agent or the details contain the text, ignoring case as SQLite's LIKE does (ASCII);
 * PostgreSQL's LIKE is case-sensitive, ILIKE is not. LIKE's wildcards in the text are literal.
 */
function containsText(text: string, engine: Engine) {
  const pattern = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const like = engine.likeIgnoringCase();
  return sql<boolean>`(user_agent ${like} ${pattern} ESCAPE '\\' OR details ${like} ${pattern} ESCAPE '\\')`;
}

/**
 * The most bytes a user agent within the caps can take: 1,000 UTF-16 units are at most 3,000
 * bytes of UTF-8 (three for each unit of the basic plane, four for each pair beyond it).
 */
const LISTED_USER_AGENT_BYTES = 3 * EVENT_LIMITS.userAgentLength;

/**
 * An event's columns as a list answers them: a stored details or user agent larger than the caps
 * allow (an older database holds some) comes cut to its first LISTED_PREVIEW_LENGTH characters,
 * in SQL, with its full size beside it, so a page never reads such a value out of the database.
 * (octet_length reads the size without the value on both engines.) Unqualified, so it selects as
 * well from audit_events as from a subquery of it.
 */
const listedColumns = [
  'id',
  'type',
  'ts',
  'user_id',
  'email',
  'ip',
  'method',
  'source',
  sql<string>`CASE WHEN octet_length(details) > ${sql.lit(EVENT_LIMITS.detailsBytes)}
    THEN substr(details, 1, ${sql.lit(LISTED_PREVIEW_LENGTH)}) ELSE details END`.as('details'),
  sql<number>`octet_length(details)`.as('details_bytes'),
  sql<string | null>`CASE WHEN octet_length(user_agent) > ${sql.lit(LISTED_USER_AGENT_BYTES)}
    THEN substr(user_agent, 1, ${sql.lit(LISTED_PREVIEW_LENGTH)}) ELSE user_agent END`.as(
    'user_agent',
  ),
  sql<number | null>`octet_length(user_agent)`.as('user_agent_bytes'),
] as const;

/** An event as a list holds it (listedColumns). */
export interface ListedAuditEventRow extends Pick<
  AuditEventRow,
  'id' | 'type' | 'ts' | 'user_id' | 'email' | 'ip' | 'method' | 'source'
> {
  /** The details JSON, or only its start when `details_bytes` is over the cap. */
  details: string;
  details_bytes: number;
  /** The user agent, or only its start when `user_agent_bytes` is over LISTED_USER_AGENT_BYTES. */
  user_agent: string | null;
  user_agent_bytes: number | null;
}

/** Whether a listed row holds only the start of its details or of its user agent. */
export function listedCuts(row: ListedAuditEventRow): { details: boolean; userAgent: boolean } {
  return {
    details: Number(row.details_bytes) > EVENT_LIMITS.detailsBytes,
    userAgent: Number(row.user_agent_bytes ?? 0) > LISTED_USER_AGENT_BYTES,
  };
}

/** One whole event, however large its values: what a list cut, on demand. */
export async function auditEventById(db: Db, id: number): Promise<AuditEventRow | undefined> {
  return db.selectFrom('audit_events').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Every filter but the event type, which the caller applies (it decides the index). */
function filtered(db: Db, filter: AuditFilter, after: AuditCursor | null) {
  let query = db.selectFrom('audit_events').select(listedColumns);
  if (filter.userId) query = query.where('user_id', '=', filter.userId);
  if (filter.email) query = query.where('email', '=', filter.email);
  if (filter.ipKey) query = query.where('ip_key', '=', filter.ipKey);
  if (filter.ipKeyRange) {
    query = query
      .where('ip_key', '>=', filter.ipKeyRange.low)
      .where('ip_key', '<=', filter.ipKeyRange.high);
  }
  if (filter.country) {
    // The country's addresses come from ip_locations' country index; the trail is read in
    // (type, ts) or (ts) order as without the filter, each row checked against that set.
    const country = filter.country;
    query = query.where('ip', 'in', (eb) =>
      eb
        .selectFrom('ip_locations')
        .select('ip_locations.ip')
        .where('ip_locations.country', '=', country),
    );
  }
  if (filter.method) query = query.where('method', '=', filter.method);
  if (filter.sinceMs !== undefined) query = query.where('ts', '>=', filter.sinceMs);
  if (filter.untilMs !== undefined) query = query.where('ts', '<', filter.untilMs);
  if (filter.text) query = query.where(containsText(filter.text, engineOf(db)));
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

/** Rows of the trail a text search reads per page at most: a page stays fast at any size. */
export const TEXT_SEARCH_WINDOW = 20_000;

export interface AuditPageRows {
  rows: ListedAuditEventRow[];
  /**
   * A text search read its whole window without filling the page: the cursor to continue from
   * (older rows are still unread), else null.
   */
  continueAfter: AuditCursor | null;
}

export async function queryAuditEvents(
  db: Db,
  filter: AuditFilter,
  after: AuditCursor | null,
  limit: number,
): Promise<AuditPageRows> {
  if (!filter.text) {
    const rows = (await auditPageQuery(
      db,
      filter,
      after,
      limit,
    ).execute()) as ListedAuditEventRow[];
    return { rows, continueAfter: null };
  }
  const rows = (await textSearchQuery(db, filter, after, limit).execute()) as ListedAuditEventRow[];
  if (rows.length >= limit) return { rows, continueAfter: null };
  // Fewer matches than asked: either the trail ends within the window, or older rows remain.
  const edge = await windowOf(db, filter, after)
    .select(['ts', 'id'])
    .offset(TEXT_SEARCH_WINDOW - 1)
    .limit(1)
    .executeTakeFirst();
  return { rows, continueAfter: edge ? { ts: Number(edge.ts), id: edge.id } : null };
}

/** The next rows (newest first) that match every filter but the text: what one search reads. */
function windowOf(db: Db, filter: AuditFilter, after: AuditCursor | null) {
  let query = filtered(db, { ...filter, text: undefined }, after);
  const types = filter.types ?? [];
  if (types.length === 1) query = query.where('type', '=', types[0]!);
  else if (types.length > 1) query = query.where('type', 'in', types);
  return query.clearSelect().orderBy('ts', 'desc').orderBy('id', 'desc');
}

/**
 * A substring search has no index to use, so it reads a bounded window of the newest rows that
 * match the other filters and keeps those containing the text (searching whole values); the
 * caller continues past it.
 */
function textSearchQuery(db: Db, filter: AuditFilter, after: AuditCursor | null, limit: number) {
  const window = windowOf(db, filter, after).selectAll().limit(TEXT_SEARCH_WINDOW);
  return db
    .selectFrom(window.as('window'))
    .select(listedColumns)
    .where(containsText(filter.text!, engineOf(db)))
    .orderBy('ts', 'desc')
    .orderBy('id', 'desc')
    .limit(limit);
}

/** The engine's plan for a query, one line per step; tests assert page and chart queries use indexes. */
export function explainQuery(db: Db, compiled: CompiledQuery): Promise<string[]> {
  return engineOf(db).explain(db, compiled);
}

/** A page's query as it runs (a 100-row page), for asserting its plan. */
export function compileAuditPage(
  db: Db,
  filter: AuditFilter,
  after: AuditCursor | null,
): CompiledQuery {
  return auditPageQuery(db, filter, after, 100).compile();
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

/**
 * What an export writes of each event (the event file fields), as an array in this order:
 * id, type, ts, user_id, email, ip, user_agent, method, details.
 */
export type ExportedEventRow = [
  id: number,
  type: string,
  ts: number,
  userId: string | null,
  email: string | null,
  ip: string | null,
  userAgent: string | null,
  method: string | null,
  details: string,
];

/** The stored columns of an ExportedEventRow, in its order. */
const EXPORTED_COLUMNS = [
  'id',
  'type',
  'ts',
  'user_id',
  'email',
  'ip',
  'user_agent',
  'method',
  'details',
] as const;

/** The events matching a filter with ids up to `upToId`, in chain order, as export columns. */
function exportQuery(db: Db, filter: AuditFilter, upToId: number) {
  // One upper bound on id only: given two, SQLite seeks with one and filters by the other.
  let query = filtered(db, { ...filter, maxId: undefined }, null)
    .clearSelect()
    .select(EXPORTED_COLUMNS)
    .where('id', '<=', Math.min(upToId, filter.maxId ?? upToId));
  if (filter.types?.length) query = query.where('type', 'in', filter.types);
  return query.orderBy('id');
}

/** The events matching a filter with ids in (afterId, upToId], in chain order: one export chunk. */
export function eventsInIdRange(
  db: Db,
  filter: AuditFilter,
  afterId: number,
  upToId: number,
): Promise<ExportedEventRow[]> {
  return engineOf(db).selectRowsAsArrays<ExportedEventRow>(
    db,
    exportQuery(db, filter, upToId).where('id', '>', afterId),
  );
}

/** Ids (afterId, upToId] of the trail: the unit an export reads, formats and writes. */
export interface IdRange {
  afterId: number;
  upToId: number;
}

/**
 * Ids per export chunk (about a megabyte of output, small enough to keep a few in flight), and
 * rows per cursor fetch on PostgreSQL.
 */
export const CHUNK_IDS = 4000;

export function idRanges(maxId: number): IdRange[] {
  const ranges: IdRange[] = [];
  for (let afterId = 0; afterId < maxId; afterId += CHUNK_IDS)
    ranges.push({ afterId, upToId: Math.min(afterId + CHUNK_IDS, maxId) });
  return ranges;
}

/**
 * The events matching a filter with ids up to `upToId`, in chain order, in batches: one indexed
 * id range per batch (SQLite), or one query read through a server-side cursor, so the server
 * plans once (PostgreSQL). Memory stays flat either way.
 */
export async function* exportedEventBatches(
  db: Db,
  filter: AuditFilter,
  upToId: number,
): AsyncGenerator<ExportedEventRow[]> {
  if (!engineOf(db).readsLongSelectsByCursor) {
    for (const range of idRanges(upToId)) {
      yield await eventsInIdRange(db, filter, range.afterId, range.upToId);
    }
    return;
  }
  let batch: ExportedEventRow[] = [];
  for await (const row of exportQuery(db, filter, upToId).stream(CHUNK_IDS)) {
    batch.push(EXPORTED_COLUMNS.map((column) => row[column]) as ExportedEventRow);
    if (batch.length === CHUNK_IDS) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

export async function countAuditEvents(db: Db): Promise<number> {
  const row = await db
    .selectFrom('audit_events')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
