import { sql } from 'kysely';
import { engineOf } from './engine';
import { countTrailByHour, HOUR_MS, hourOf, TYPO_GRACE_MS } from './sql-fragments';
import type { Db } from './schema';

export { HOUR_MS };

/**
 * Aggregates for the audit charts and the failed-attempt patterns. Every query is a range over
 * an index on the event type and time (or the partial verification index), grouped in SQL; the
 * renderer and the services only see buckets and candidate rows.
 */

export const VERIFY_SUCCESS = 'com.alaigned.auth.2fa.verify.success';
export const VERIFY_FAILED = 'com.alaigned.auth.2fa.verify.failed';

/**
 * Numbers that take part in integer arithmetic (bucket sizes, offsets) go into the SQL as
 * literals: bound parameters arrive as floating point in SQLite and would turn `ts / bucket`
 * into a division with a remainder. They come from code or validated integers, never text.
 */
export function int(value: number) {
  if (!Number.isSafeInteger(value)) throw new Error(`not an integer: ${value}`);
  return sql.lit(value);
}

/**
 * The two verification types as literals: the planner can only use the partial index on
 * verifications when it can see that a query asks for exactly those types.
 */
const SUCCESS = sql.lit(VERIFY_SUCCESS);
const FAILED = sql.lit(VERIFY_FAILED);

/**
 * Verifications from one network. The type term (redundant beside a narrower one) lets the
 * planner see the (network, ts) partial index applies: one network's entries are read, not
 * every verification in the period.
 */
export function verificationsFromNetwork(network: string) {
  return sql<boolean>`(type IN (${SUCCESS}, ${FAILED}) AND network = ${network})`;
}

export interface Range {
  sinceMs: number;
  untilMs: number;
}

/** Events per hour and type in `range`, counted from the trail itself. */
export function trailHourCountsQuery(db: Db, range: Range, types?: readonly string[]) {
  const hour = sql<number>`${hourOf('ts')}`;
  let query = db
    .selectFrom('audit_events')
    .select([hour.as('hour'), 'type', (eb) => eb.fn.countAll<number>().as('n')])
    .where('ts', '>=', range.sinceMs)
    .where('ts', '<', range.untilMs)
    .groupBy([hour, 'type']);
  if (types) query = query.where('type', 'in', types);
  return query;
}

/** Events per hour and type for the whole hours `fromHour` ≤ hour < `toHour`, as stored. */
export function rolledUpHourCountsQuery(
  db: Db,
  fromHour: number,
  toHour: number,
  types?: readonly string[],
) {
  let query = db
    .selectFrom('audit_hourly_counts')
    .select(['hour', 'type', 'n'])
    .where('hour', '>=', fromHour)
    .where('hour', '<', toHour);
  if (types) query = query.where('type', 'in', types);
  return query;
}

export interface HourCount {
  hour: number;
  type: string;
  n: number;
}

/** The hour (since the epoch, floored) an event time falls in: `hourOf` for JavaScript. */
export function hourOfMs(ts: number): number {
  return Math.floor(ts / HOUR_MS);
}

/** Counts per hour and type, added up as events (or stored counts) come. */
export class HourTally {
  private readonly counts = new Map<string, HourCount>();

  add(hour: number, type: string, n = 1): void {
    const key = `${hour} ${type}`;
    const entry = this.counts.get(key);
    if (entry) entry.n += n;
    else this.counts.set(key, { hour, type, n });
  }

  count(hour: number, type: string): number {
    return this.counts.get(`${hour} ${type}`)?.n ?? 0;
  }

  values(): HourCount[] {
    return [...this.counts.values()];
  }
}

/**
 * Events per hour and type in a range (of the given types, or all). Whole hours come from
 * audit_hourly_counts, so 90 days cost about 2,000 rows instead of most of the trail; the partial
 * hours at either end are counted from the trail. Each hour appears once per type.
 */
export async function hourlyCounts(
  db: Db,
  range: Range,
  types?: readonly string[],
): Promise<HourCount[]> {
  const firstWhole = Math.ceil(range.sinceMs / HOUR_MS);
  const endWhole = Math.floor(range.untilMs / HOUR_MS);
  const parts =
    endWhole <= firstWhole
      ? [trailHourCountsQuery(db, range, types).execute()]
      : [
          trailHourCountsQuery(
            db,
            { sinceMs: range.sinceMs, untilMs: firstWhole * HOUR_MS },
            types,
          ).execute(),
          rolledUpHourCountsQuery(db, firstWhole, endWhole, types).execute(),
          trailHourCountsQuery(
            db,
            { sinceMs: endWhole * HOUR_MS, untilMs: range.untilMs },
            types,
          ).execute(),
        ];
  const rows = (await Promise.all(parts)).flat();
  return rows.map((r) => ({ hour: Number(r.hour), type: r.type, n: Number(r.n) }));
}

export type TopDimension = 'user' | 'ip' | 'network';

export function topQuery(db: Db, range: Range, by: TopDimension, limit: number) {
  const key = sql.ref(by === 'user' ? 'user_id' : by === 'ip' ? 'ip' : 'network');
  return db
    .selectFrom('audit_events')
    .select([
      sql<string>`${key}`.as('key'),
      (eb) => eb.fn.max('email').as('label'),
      (eb) => eb.fn.countAll<number>().as('n'),
    ])
    .where('type', '=', VERIFY_FAILED)
    .where('ts', '>=', range.sinceMs)
    .where('ts', '<', range.untilMs)
    .where(key, 'is not', null)
    .groupBy(key)
    .orderBy('n', 'desc')
    .orderBy('key')
    .limit(limit);
}

export async function topFailures(db: Db, range: Range, by: TopDimension, limit: number) {
  const rows = await topQuery(db, range, by, limit).execute();
  return rows.map((r) => ({ key: r.key, label: r.label ?? null, n: Number(r.n) }));
}

export function heatmapQuery(db: Db, range: Range, tzOffsetMs: number) {
  const local = sql<number>`(ts + ${int(tzOffsetMs)})`;
  // 1970-01-01 was a Thursday (4), so day number + 4 modulo 7 is the weekday (0 = Sunday).
  const weekday = sql<number>`(${local} / 86400000 + 4) % 7`;
  const hour = sql<number>`${local} / 3600000 % 24`;
  return db
    .selectFrom('audit_events')
    .select([weekday.as('weekday'), hour.as('hour'), (eb) => eb.fn.countAll<number>().as('n')])
    .where('type', '=', VERIFY_FAILED)
    .where('ts', '>=', range.sinceMs)
    .where('ts', '<', range.untilMs)
    .groupBy([weekday, hour]);
}

export async function failureHeatmap(db: Db, range: Range, tzOffsetMs: number) {
  const rows = await heatmapQuery(db, range, tzOffsetMs).execute();
  return rows.map((r) => ({ weekday: Number(r.weekday), hour: Number(r.hour), n: Number(r.n) }));
}

export interface FailureWindowRow {
  user_id: string;
  window_start: number;
  window_end: number;
}

/**
 * Windows of `minFailures` consecutive failed verifications of one user within `windowMs` with
 * no successful verification between them: the guide's "multiple failed attempts from the same
 * user". Reads only failures (by type and time), and checks for a success only for the few
 * windows dense enough to matter.
 */
export function failureWindowsQuery(range: Range, minFailures: number, windowMs: number) {
  return sql<FailureWindowRow>`
    WITH failures AS (
      SELECT user_id, ts,
        LAG(ts, ${int(minFailures - 1)}) OVER (PARTITION BY user_id ORDER BY ts, id) AS window_start
      FROM audit_events
      WHERE type = ${FAILED} AND ts >= ${range.sinceMs} AND ts < ${range.untilMs} AND user_id IS NOT NULL
    )
    SELECT user_id, window_start, ts AS window_end FROM failures f
    WHERE window_start IS NOT NULL AND ts - window_start <= ${windowMs}
      AND NOT EXISTS (
        SELECT 1 FROM audit_events s
        WHERE s.user_id = f.user_id AND s.type = ${SUCCESS} AND s.ts > f.window_start AND s.ts < f.ts
      )
    ORDER BY user_id, window_start`;
}

export async function failureWindows(
  db: Db,
  range: Range,
  minFailures: number,
  windowMs: number,
): Promise<FailureWindowRow[]> {
  const result = await failureWindowsQuery(range, minFailures, windowMs).execute(db);
  return result.rows.map((r) => ({
    user_id: r.user_id,
    window_start: Number(r.window_start),
    window_end: Number(r.window_end),
  }));
}

/** The successes of a user just before and just after a moment: the bounds of a failure run. */
export async function successesAround(db: Db, userId: string, fromMs: number, toMs: number) {
  const before = await db
    .selectFrom('audit_events')
    .select('ts')
    .where('user_id', '=', userId)
    .where('type', '=', VERIFY_SUCCESS)
    .where('ts', '<', fromMs)
    .orderBy('ts', 'desc')
    .limit(1)
    .executeTakeFirst();
  const after = await db
    .selectFrom('audit_events')
    .select('ts')
    .where('user_id', '=', userId)
    .where('type', '=', VERIFY_SUCCESS)
    .where('ts', '>', toMs)
    .orderBy('ts')
    .limit(1)
    .executeTakeFirst();
  return { before: before ? Number(before.ts) : null, after: after ? Number(after.ts) : null };
}

/** A user's failed verifications in a time range, oldest first. */
export async function failuresOf(db: Db, userId: string, range: Range) {
  const rows = await db
    .selectFrom('audit_events')
    .select(['ts', 'ip', 'email'])
    .where('user_id', '=', userId)
    .where('type', '=', VERIFY_FAILED)
    .where('ts', '>=', range.sinceMs)
    .where('ts', '<', range.untilMs)
    .orderBy('ts')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ ts: Number(r.ts), ip: r.ip, email: r.email }));
}

export interface NewNetworkRow {
  user_id: string;
  email: string | null;
  network: string;
  first_ts: number;
  last_ts: number;
  events: number;
  failures: number;
}

export interface NewNetworkOptions {
  lookbackMs: number;
  baselineDays: number;
  baselineSpanMs: number;
}

/**
 * (user, network) pairs whose first verification in the range comes from a network that user
 * had not verified from in the `lookbackMs` before, where the user had an established baseline
 * then: successful verifications on at least `baselineDays` days spanning `baselineSpanMs`.
 */
export function newNetworksQuery(db: Db, range: Range, options: NewNetworkOptions) {
  const { indexedBy } = engineOf(db);
  const verifications = sql`audit_events x ${indexedBy('audit_verify_user_network_ts')}`;
  const pair = sql`x.type IN (${SUCCESS}, ${FAILED}) AND x.user_id = baselines.user_id
    AND x.network = baselines.network AND x.ts >= baselines.first_ts AND x.ts < ${range.untilMs}`;
  return sql<NewNetworkRow>`
    WITH firsts AS (
      -- Only what the index holds (user, network, time): no table reads for a million rows.
      SELECT user_id, network, MIN(ts) AS first_ts
      FROM audit_events ${indexedBy('audit_verify_user_network_ts')}
      WHERE type IN (${SUCCESS}, ${FAILED}) AND ts >= ${range.sinceMs} AND ts < ${range.untilMs}
        AND user_id IS NOT NULL AND network IS NOT NULL
      GROUP BY user_id, network
    ),
    unseen AS (
      SELECT f.* FROM firsts f
      -- Cheap first: the user has history older than the baseline span (else no baseline yet).
      WHERE EXISTS (
        SELECT 1 FROM audit_events o ${indexedBy('audit_success_user_ts')}
        WHERE o.user_id = f.user_id AND o.type = ${SUCCESS}
          AND o.ts < f.first_ts - ${options.baselineSpanMs} AND o.ts >= f.first_ts - ${options.lookbackMs}
      )
      AND NOT EXISTS (
        SELECT 1 FROM audit_events p
        WHERE p.type IN (${SUCCESS}, ${FAILED}) AND p.user_id = f.user_id
          AND p.network = f.network AND p.ts < f.first_ts AND p.ts >= f.first_ts - ${options.lookbackMs}
      )
    ),
    baselines AS (
      SELECT u.user_id, u.network, u.first_ts,
        COUNT(DISTINCT b.ts / 86400000) AS days, MAX(b.ts) - MIN(b.ts) AS span
      FROM unseen u JOIN audit_events b ${indexedBy('audit_success_user_ts')}
        ON b.user_id = u.user_id AND b.type = ${SUCCESS}
        AND b.ts < u.first_ts AND b.ts >= u.first_ts - ${options.lookbackMs}
      GROUP BY u.user_id, u.network, u.first_ts
    )
    -- The few survivors get their details from the table.
    SELECT user_id, network, first_ts,
      (SELECT MAX(x.email) FROM ${verifications} WHERE ${pair}) AS email,
      (SELECT MAX(x.ts) FROM ${verifications} WHERE ${pair}) AS last_ts,
      (SELECT COUNT(*) FROM ${verifications} WHERE ${pair}) AS events,
      (SELECT COUNT(*) FROM ${verifications} WHERE ${pair} AND x.type = ${FAILED}) AS failures
    FROM baselines
    WHERE days >= ${options.baselineDays} AND span >= ${options.baselineSpanMs}
    ORDER BY first_ts`;
}

export async function newNetworks(
  db: Db,
  range: Range,
  options: NewNetworkOptions,
): Promise<NewNetworkRow[]> {
  const result = await newNetworksQuery(db, range, options).execute(db);
  return result.rows.map((r) => ({
    ...r,
    first_ts: Number(r.first_ts),
    last_ts: Number(r.last_ts),
    events: Number(r.events),
    failures: Number(r.failures),
  }));
}

/** Failures the same user did not put right within TYPO_GRACE_MS: not typos. */
export function unresolvedFailure() {
  return sql<boolean>`NOT EXISTS (
    SELECT 1 FROM audit_events s
    WHERE s.user_id = audit_events.user_id AND s.type = ${SUCCESS}
      AND s.ts >= audit_events.ts AND s.ts <= audit_events.ts + ${int(TYPO_GRACE_MS)}
  )`;
}

/** Time buckets (of `bucketMs`, shifted by `offsetMs`) in which many distinct users failed. */
export function burstQuery(
  db: Db,
  range: Range,
  bucketMs: number,
  offsetMs: number,
  minUsers: number,
) {
  const bucket = sql<number>`(ts + ${int(offsetMs)}) / ${int(bucketMs)}`;
  return db
    .selectFrom('audit_events')
    .select([
      bucket.as('bucket'),
      (eb) => eb.fn.count<number>('user_id').distinct().as('users'),
      (eb) => eb.fn.countAll<number>().as('n'),
      (eb) => eb.fn.min('ts').as('first_ts'),
      (eb) => eb.fn.max('ts').as('last_ts'),
    ])
    .where('type', '=', VERIFY_FAILED)
    .where('ts', '>=', range.sinceMs)
    .where('ts', '<', range.untilMs)
    .where(unresolvedFailure())
    .groupBy(bucket)
    .having((eb) => eb.fn.count('user_id').distinct(), '>=', minUsers);
}

export async function failureBursts(
  db: Db,
  range: Range,
  bucketMs: number,
  offsetMs: number,
  minUsers: number,
) {
  const rows = await burstQuery(db, range, bucketMs, offsetMs, minUsers).execute();
  return rows.map((r) => ({
    users: Number(r.users),
    n: Number(r.n),
    firstTs: Number(r.first_ts),
    lastTs: Number(r.last_ts),
  }));
}

/** Networks from which many distinct users failed within one time bucket (password spraying). */
export function sprayQuery(db: Db, range: Range, bucketMs: number, minUsers: number) {
  const bucket = sql<number>`ts / ${int(bucketMs)}`;
  return db
    .selectFrom('audit_events')
    .select([
      'network',
      bucket.as('bucket'),
      (eb) => eb.fn.count<number>('user_id').distinct().as('users'),
      (eb) => eb.fn.countAll<number>().as('n'),
      (eb) => eb.fn.min('ts').as('first_ts'),
      (eb) => eb.fn.max('ts').as('last_ts'),
    ])
    .where('type', '=', VERIFY_FAILED)
    .where('ts', '>=', range.sinceMs)
    .where('ts', '<', range.untilMs)
    .where('network', 'is not', null)
    .where(unresolvedFailure())
    .groupBy(['network', bucket])
    .having((eb) => eb.fn.count('user_id').distinct(), '>=', minUsers);
}

export async function sprayedNetworks(db: Db, range: Range, bucketMs: number, minUsers: number) {
  const rows = await sprayQuery(db, range, bucketMs, minUsers).execute();
  return rows.map((r) => ({
    network: r.network!,
    users: Number(r.users),
    n: Number(r.n),
    firstTs: Number(r.first_ts),
    lastTs: Number(r.last_ts),
  }));
}

/** Users and addresses behind the unresolved failures in a range (optionally one network). */
export async function failureParticipants(db: Db, range: Range, network?: string) {
  let query = db
    .selectFrom('audit_events')
    .select(['email', 'ip'])
    .distinct()
    .where('type', '=', VERIFY_FAILED)
    .where('ts', '>=', range.sinceMs)
    .where('ts', '<', range.untilMs)
    .where(unresolvedFailure());
  if (network) query = query.where(verificationsFromNetwork(network));
  const rows = await query.execute();
  return {
    emails: [...new Set(rows.map((r) => r.email).filter((e): e is string => Boolean(e)))].sort(),
    ips: [...new Set(rows.map((r) => r.ip).filter((ip): ip is string => Boolean(ip)))].sort(),
  };
}

/** Addresses a user verified from on a network within a range. */
export async function addressesOf(db: Db, userId: string, network: string, range: Range) {
  const rows = await db
    .selectFrom('audit_events')
    .select('ip')
    .distinct()
    .where('type', 'in', [VERIFY_SUCCESS, VERIFY_FAILED])
    .where('user_id', '=', userId)
    .where('network', '=', network)
    .where('ts', '>=', range.sinceMs)
    .where('ts', '<', range.untilMs)
    .execute();
  return rows
    .map((r) => r.ip)
    .filter((ip): ip is string => Boolean(ip))
    .sort();
}

/**
 * Every stored hourly count and the newest event id, read in one statement (one snapshot on
 * either engine): the counts then cover exactly the events up to that id.
 */
export async function hourlyCountsSnapshot(
  db: Db,
): Promise<{ lastId: number; counts: HourCount[] }> {
  const result = await sql<{
    last_id: number | null;
    hour: number | null;
    type: string | null;
    n: number | null;
  }>`SELECT m.last_id, c.hour, c.type, c.n
    FROM (SELECT max(id) AS last_id FROM audit_events) m
    LEFT JOIN audit_hourly_counts c ON 1 = 1`.execute(db);
  const lastId = Number(result.rows[0]?.last_id ?? 0);
  const counts = result.rows
    .filter((r) => r.type !== null)
    .map((r) => ({ hour: Number(r.hour), type: r.type!, n: Number(r.n) }));
  return { lastId, counts };
}

/**
 * Rebuilds the hourly counts from the trail, in the caller's write transaction: the repair when
 * verification finds them changed outside the console.
 */
export async function recountHourlyCounts(trx: Db): Promise<number> {
  await trx.deleteFrom('audit_hourly_counts').execute();
  await countTrailByHour(trx);
  const row = await trx
    .selectFrom('audit_hourly_counts')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
