import { sql } from 'kysely';
import type { Db } from './schema';

/**
 * Aggregates for the audit charts and the failed-attempt patterns. Every query is a range over
 * an index on the event type and time (or the partial verification index), grouped in SQL; the
 * renderer and the services only see buckets and candidate rows.
 */

export const VERIFY_SUCCESS = 'com.alaigned.auth.2fa.verify.success';
export const VERIFY_FAILED = 'com.alaigned.auth.2fa.verify.failed';

export interface Range {
  sinceMs: number;
  untilMs: number;
}

export async function timelineCounts(db: Db, range: Range, bucketMs: number) {
  const rows = await db
    .selectFrom('audit_events')
    .select([
      sql<number>`ts / ${bucketMs}`.as('bucket'),
      'type',
      (eb) => eb.fn.countAll<number>().as('n'),
    ])
    .where('type', 'in', [VERIFY_SUCCESS, VERIFY_FAILED])
    .where('ts', '>=', range.sinceMs)
    .where('ts', '<', range.untilMs)
    .groupBy([sql`ts / ${bucketMs}`, 'type'])
    .execute();
  return rows.map((r) => ({ bucket: Number(r.bucket), type: r.type, n: Number(r.n) }));
}

export type TopDimension = 'user' | 'ip' | 'network';

export async function topFailures(db: Db, range: Range, by: TopDimension, limit: number) {
  const key = by === 'user' ? 'user_id' : by === 'ip' ? 'ip' : 'network';
  const rows = await db
    .selectFrom('audit_events')
    .select([
      sql<string>`${sql.ref(key)}`.as('key'),
      (eb) => eb.fn.max('email').as('label'),
      (eb) => eb.fn.countAll<number>().as('n'),
    ])
    .where('type', '=', VERIFY_FAILED)
    .where('ts', '>=', range.sinceMs)
    .where('ts', '<', range.untilMs)
    .where(sql.ref(key), 'is not', null)
    .groupBy(sql.ref(key))
    .orderBy('n', 'desc')
    .orderBy('key')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ key: r.key, label: r.label ?? null, n: Number(r.n) }));
}

export async function failureHeatmap(db: Db, range: Range, tzOffsetMs: number) {
  const local = sql<number>`(ts + ${tzOffsetMs})`;
  const rows = await db
    .selectFrom('audit_events')
    .select([
      sql<number>`(${local} / 86400000 + 4) % 7`.as('weekday'),
      sql<number>`${local} / 3600000 % 24`.as('hour'),
      (eb) => eb.fn.countAll<number>().as('n'),
    ])
    .where('type', '=', VERIFY_FAILED)
    .where('ts', '>=', range.sinceMs)
    .where('ts', '<', range.untilMs)
    .groupBy([sql`(${local} / 86400000 + 4) % 7`, sql`${local} / 3600000 % 24`])
    .execute();
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
export async function failureRuns(
  db: Db,
  range: Range,
  minFailures: number,
  windowMs: number,
): Promise<FailureRunRow[]> {
  const result = await sql<FailureRunRow>`
    WITH candidates AS (
      SELECT user_id FROM audit_events
      WHERE type = ${VERIFY_FAILED} AND ts >= ${range.sinceMs} AND ts < ${range.untilMs} AND user_id IS NOT NULL
      GROUP BY user_id HAVING COUNT(*) >= ${minFailures}
    ),
    verifications AS (
      SELECT e.user_id, e.email, e.ip, e.ts, e.id, e.type,
        SUM(CASE WHEN e.type = ${VERIFY_SUCCESS} THEN 1 ELSE 0 END)
          OVER (PARTITION BY e.user_id ORDER BY e.ts, e.id ROWS UNBOUNDED PRECEDING) AS run
      FROM audit_events e JOIN candidates c ON c.user_id = e.user_id
      WHERE e.type IN (${VERIFY_SUCCESS}, ${VERIFY_FAILED}) AND e.ts >= ${range.sinceMs} AND e.ts < ${range.untilMs}
    ),
    failures AS (
      SELECT user_id, email, ip, ts, id, run,
        LAG(ts, ${minFailures - 1}) OVER (PARTITION BY user_id, run ORDER BY ts, id) AS window_start
      FROM verifications WHERE type = ${VERIFY_FAILED}
    )
    SELECT user_id, email, ip, ts, run,
      CASE WHEN window_start IS NOT NULL AND ts - window_start <= ${windowMs} THEN 1 ELSE 0 END AS qualifies
    FROM failures ORDER BY user_id, ts, id`.execute(db);
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
  events: number;
  failures: number;
}

/**
 * (user, network) pairs whose first verification in the range comes from a network that user
 * had not verified from in the `lookbackMs` before, where the user had an established baseline
 * then: successful verifications on at least `baselineDays` days spanning `baselineSpanMs`.
 */
export async function newNetworks(
  db: Db,
  range: Range,
  options: { lookbackMs: number; baselineDays: number; baselineSpanMs: number },
): Promise<NewNetworkRow[]> {
  const result = await sql<NewNetworkRow>`
    WITH firsts AS (
      SELECT user_id, network, MIN(ts) AS first_ts, COUNT(*) AS events,
        SUM(CASE WHEN type = ${VERIFY_FAILED} THEN 1 ELSE 0 END) AS failures
      FROM audit_events
      WHERE type IN (${VERIFY_SUCCESS}, ${VERIFY_FAILED}) AND ts >= ${range.sinceMs} AND ts < ${range.untilMs}
        AND user_id IS NOT NULL AND network IS NOT NULL
      GROUP BY user_id, network
    ),
    unseen AS (
      SELECT f.* FROM firsts f
      WHERE NOT EXISTS (
        SELECT 1 FROM audit_events p
        WHERE p.type IN (${VERIFY_SUCCESS}, ${VERIFY_FAILED}) AND p.user_id = f.user_id
          AND p.network = f.network AND p.ts < f.first_ts AND p.ts >= f.first_ts - ${options.lookbackMs}
      )
    ),
    baselines AS (
      SELECT u.user_id, u.network, u.first_ts, u.events, u.failures,
        COUNT(DISTINCT b.ts / 86400000) AS days, MAX(b.ts) - MIN(b.ts) AS span, MAX(b.email) AS email
      FROM unseen u JOIN audit_events b
        ON b.user_id = u.user_id AND b.type = ${VERIFY_SUCCESS}
        AND b.ts < u.first_ts AND b.ts >= u.first_ts - ${options.lookbackMs}
      GROUP BY u.user_id, u.network, u.first_ts, u.events, u.failures
    )
    SELECT user_id, email, network, first_ts, events, failures FROM baselines
    WHERE days >= ${options.baselineDays} AND span >= ${options.baselineSpanMs}
    ORDER BY first_ts`.execute(db);
  return result.rows.map((r) => ({
    ...r,
    first_ts: Number(r.first_ts),
    events: Number(r.events),
    failures: Number(r.failures),
  }));
}

/** Time buckets (of `bucketMs`, shifted by `offsetMs`) in which many distinct users failed. */
export async function failureBursts(
  db: Db,
  range: Range,
  bucketMs: number,
  offsetMs: number,
  minUsers: number,
) {
  const bucket = sql<number>`(ts + ${offsetMs}) / ${bucketMs}`;
  const rows = await db
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
    .having((eb) => eb.fn.count('user_id').distinct(), '>=', minUsers)
    .execute();
  return rows.map((r) => ({
    users: Number(r.users),
    n: Number(r.n),
    firstTs: Number(r.first_ts),
    lastTs: Number(r.last_ts),
  }));
}

/** Networks from which many distinct users failed within one time bucket (password spraying). */
export async function sprayedNetworks(db: Db, range: Range, bucketMs: number, minUsers: number) {
  const rows = await db
    .selectFrom('audit_events')
    .select([
      'network',
      sql<number>`ts / ${bucketMs}`.as('bucket'),
      (eb) => eb.fn.count<number>('user_id').distinct().as('users'),
      (eb) => eb.fn.countAll<number>().as('n'),
      (eb) => eb.fn.min('ts').as('first_ts'),
      (eb) => eb.fn.max('ts').as('last_ts'),
    ])
    .where('type', '=', VERIFY_FAILED)
    .where('ts', '>=', range.sinceMs)
    .where('ts', '<', range.untilMs)
    .where('network', 'is not', null)
    .groupBy(['network', sql`ts / ${bucketMs}`])
    .having((eb) => eb.fn.count('user_id').distinct(), '>=', minUsers)
    .execute();
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
