import { sql } from 'kysely';
import { VERIFY_FAILED, VERIFY_SUCCESS } from '../../shared/audit-events';
import { engineOf } from './engine';
import type { Db } from './schema';
import {
  FAILED,
  int,
  SUCCESS,
  unresolvedFailure,
  verificationsFromNetwork,
  type Range,
} from './verification-queries';

/**
 * The detectors' reads: candidate windows, bursts and networks found in SQL over the (type, ts)
 * index or the partial verification indexes, then the few details of each candidate. Detectors
 * (src/main/detections/*.detector.ts) only see rows, never SQL.
 */

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

/**
 * Time buckets (of `bucketMs`, on each grid shift in `offsetsMs`) in which many distinct users
 * failed. The unresolved failures (each with its typo check, the costly part) are read once,
 * materialized, then grouped once per grid.
 */
export function burstQuery(
  range: Range,
  bucketMs: number,
  offsetsMs: readonly number[],
  minUsers: number,
) {
  const grouped = offsetsMs.map(
    (offsetMs) => sql`SELECT COUNT(DISTINCT user_id) AS users, COUNT(*) AS n,
        MIN(ts) AS first_ts, MAX(ts) AS last_ts
      FROM failures
      GROUP BY (ts + ${int(offsetMs)}) / ${int(bucketMs)}
      HAVING COUNT(DISTINCT user_id) >= ${int(minUsers)}`,
  );
  return sql<{ users: unknown; n: unknown; first_ts: unknown; last_ts: unknown }>`
    WITH failures AS MATERIALIZED (
      SELECT user_id, ts FROM audit_events
      WHERE type = ${FAILED} AND ts >= ${range.sinceMs} AND ts < ${range.untilMs}
        AND ${unresolvedFailure()}
    )
    ${sql.join(grouped, sql` UNION ALL `)}`;
}

export async function failureBursts(
  db: Db,
  range: Range,
  bucketMs: number,
  offsetsMs: readonly number[],
  minUsers: number,
) {
  const { rows } = await burstQuery(range, bucketMs, offsetsMs, minUsers).execute(db);
  return rows.map((r) => ({
    users: Number(r.users),
    n: Number(r.n),
    firstTs: Number(r.first_ts),
    lastTs: Number(r.last_ts),
  }));
}

/**
 * Networks from which many distinct users failed within one time bucket (password spraying), on
 * the grid shifted by `offsetMs`.
 */
export function sprayQuery(db: Db, range: Range, bucketMs: number, minUsers: number, offsetMs = 0) {
  const bucket = sql<number>`(ts + ${int(offsetMs)}) / ${int(bucketMs)}`;
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

export async function sprayedNetworks(
  db: Db,
  range: Range,
  bucketMs: number,
  minUsers: number,
  offsetMs = 0,
) {
  const rows = await sprayQuery(db, range, bucketMs, minUsers, offsetMs).execute();
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
/** The addresses some users verified from in one network over a range. */
export async function addressesOf(
  db: Db,
  userIds: readonly string[],
  network: string,
  range: Range,
) {
  const rows = await db
    .selectFrom('audit_events')
    .select('ip')
    .distinct()
    .where('type', 'in', [VERIFY_SUCCESS, VERIFY_FAILED])
    .where('user_id', 'in', [...userIds])
    .where('network', '=', network)
    .where('ts', '>=', range.sinceMs)
    .where('ts', '<', range.untilMs)
    .execute();
  return rows
    .map((r) => r.ip)
    .filter((ip): ip is string => Boolean(ip))
    .sort();
}

/** Unresolved failures (not typos) in a range, optionally from one network. */
export async function countFailures(db: Db, range: Range, network?: string): Promise<number> {
  let query = db
    .selectFrom('audit_events')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('type', '=', VERIFY_FAILED)
    .where('ts', '>=', range.sinceMs)
    .where('ts', '<', range.untilMs)
    .where(unresolvedFailure());
  if (network) query = query.where(verificationsFromNetwork(network));
  return Number((await query.executeTakeFirstOrThrow()).n);
}

/** Verifications (successes and failures) in a range, optionally from one network. */
export async function countVerifications(db: Db, range: Range, network?: string): Promise<number> {
  let query = db
    .selectFrom('audit_events')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('type', 'in', [VERIFY_SUCCESS, VERIFY_FAILED])
    .where('ts', '>=', range.sinceMs)
    .where('ts', '<', range.untilMs);
  if (network) query = query.where(verificationsFromNetwork(network));
  return Number((await query.executeTakeFirstOrThrow()).n);
}
