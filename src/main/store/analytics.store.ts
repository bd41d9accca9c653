import { sql } from 'kysely';
import type { Db } from './schema';

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

export interface Range {
  sinceMs: number;
  untilMs: number;
}

export function timelineQuery(db: Db, range: Range, bucketMs: number) {
  const bucket = sql<number>`ts / ${int(bucketMs)}`;
  return db
    .selectFrom('audit_events')
    .select([bucket.as('bucket'), 'type', (eb) => eb.fn.countAll<number>().as('n')])
    .where('type', 'in', [VERIFY_SUCCESS, VERIFY_FAILED])
    .where('ts', '>=', range.sinceMs)
    .where('ts', '<', range.untilMs)
    .groupBy([bucket, 'type']);
}

export async function timelineCounts(db: Db, range: Range, bucketMs: number) {
  const rows = await timelineQuery(db, range, bucketMs).execute();
  return rows.map((r) => ({ bucket: Number(r.bucket), type: r.type, n: Number(r.n) }));
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

export interface FailureRunRow {
  user_id: string;
  email: string | null;
  ip: string | null;
  ts: number;
  run: number;
  qualifies: number;
}

/**
 * Failed verifications of users with at least `minFailures` failures in the range, each tagged
 * with its run (the number of successes before it, so a success ends a run) and whether it
 * closes a window of `minFailures` failures within `windowMs` in the same run.
 */
export function failureRunsQuery(range: Range, minFailures: number, windowMs: number) {
  return sql<FailureRunRow>`
    WITH candidates AS (
      SELECT user_id FROM audit_events
      WHERE type = ${FAILED} AND ts >= ${range.sinceMs} AND ts < ${range.untilMs} AND user_id IS NOT NULL
      GROUP BY user_id HAVING COUNT(*) >= ${minFailures}
    ),
    verifications AS (
      SELECT e.user_id, e.email, e.ip, e.ts, e.id, e.type,
        SUM(CASE WHEN e.type = ${SUCCESS} THEN 1 ELSE 0 END)
          OVER (PARTITION BY e.user_id ORDER BY e.ts, e.id ROWS UNBOUNDED PRECEDING) AS run
      FROM candidates c JOIN audit_events e ON e.user_id = c.user_id
      WHERE e.type IN (${SUCCESS}, ${FAILED}) AND e.ts >= ${range.sinceMs} AND e.ts < ${range.untilMs}
    ),
    failures AS (
      SELECT user_id, email, ip, ts, id, run,
        LAG(ts, ${int(minFailures - 1)}) OVER (PARTITION BY user_id, run ORDER BY ts, id) AS window_start
      FROM verifications WHERE type = ${FAILED}
    )
    SELECT user_id, email, ip, ts, run,
      CASE WHEN window_start IS NOT NULL AND ts - window_start <= ${windowMs} THEN 1 ELSE 0 END AS qualifies
    FROM failures ORDER BY user_id, ts, id`;
}

export async function failureRuns(
  db: Db,
  range: Range,
  minFailures: number,
  windowMs: number,
): Promise<FailureRunRow[]> {
  const result = await failureRunsQuery(range, minFailures, windowMs).execute(db);
  return result.rows.map((r) => ({
    ...r,
    ts: Number(r.ts),
    run: Number(r.run),
    qualifies: Number(r.qualifies),
  }));
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
export function newNetworksQuery(range: Range, options: NewNetworkOptions) {
  return sql<NewNetworkRow>`
    WITH firsts AS (
      SELECT user_id, network, MIN(ts) AS first_ts, MAX(ts) AS last_ts, COUNT(*) AS events,
        SUM(CASE WHEN type = ${FAILED} THEN 1 ELSE 0 END) AS failures
      FROM audit_events
      WHERE type IN (${SUCCESS}, ${FAILED}) AND ts >= ${range.sinceMs} AND ts < ${range.untilMs}
        AND user_id IS NOT NULL AND network IS NOT NULL
      GROUP BY user_id, network
    ),
    unseen AS (
      SELECT f.* FROM firsts f
      WHERE NOT EXISTS (
        SELECT 1 FROM audit_events p
        WHERE p.type IN (${SUCCESS}, ${FAILED}) AND p.user_id = f.user_id
          AND p.network = f.network AND p.ts < f.first_ts AND p.ts >= f.first_ts - ${options.lookbackMs}
      )
    ),
    baselines AS (
      -- Read through the partial verification index (user first), counting successes only.
      SELECT u.user_id, u.network, u.first_ts, u.last_ts, u.events, u.failures,
        COUNT(DISTINCT CASE WHEN b.type = ${SUCCESS} THEN b.ts / 86400000 END) AS days,
        MAX(CASE WHEN b.type = ${SUCCESS} THEN b.ts END) - MIN(CASE WHEN b.type = ${SUCCESS} THEN b.ts END) AS span,
        MAX(b.email) AS email
      FROM unseen u JOIN audit_events b
        ON b.user_id = u.user_id AND b.type IN (${SUCCESS}, ${FAILED})
        AND b.ts < u.first_ts AND b.ts >= u.first_ts - ${options.lookbackMs}
      GROUP BY u.user_id, u.network, u.first_ts, u.last_ts, u.events, u.failures
    )
    SELECT user_id, email, network, first_ts, last_ts, events, failures FROM baselines
    WHERE days >= ${options.baselineDays} AND span >= ${options.baselineSpanMs}
    ORDER BY first_ts`;
}

export async function newNetworks(
  db: Db,
  range: Range,
  options: NewNetworkOptions,
): Promise<NewNetworkRow[]> {
  const result = await newNetworksQuery(range, options).execute(db);
  return result.rows.map((r) => ({
    ...r,
    first_ts: Number(r.first_ts),
    last_ts: Number(r.last_ts),
    events: Number(r.events),
    failures: Number(r.failures),
  }));
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

/** Users and addresses behind the failures in a time range (optionally one network), for findings. */
export async function failureParticipants(db: Db, range: Range, network?: string) {
  let query = db
    .selectFrom('audit_events')
    .select(['email', 'ip'])
    .distinct()
    .where('type', '=', VERIFY_FAILED)
    .where('ts', '>=', range.sinceMs)
    .where('ts', '<', range.untilMs);
  if (network) query = query.where('network', '=', network);
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
