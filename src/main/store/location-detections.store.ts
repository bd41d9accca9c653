import { sql, type RawBuilder } from 'kysely';
import { VERIFY_SUCCESS } from '../../shared/audit-events';
import { engineOf } from './engine';
import type { Db } from './schema';
import { FAILED, int, SUCCESS, type Range } from './verification-queries';

/**
 * The location detectors' reads (failures_then_success, new_country, novel_asn,
 * impossible_travel): candidates found in one statement over the verification indexes, located by
 * joining ip_locations on the address, and only the candidates' events read row by row.
 *
 * Networks (/24, /48) stand for their addresses while candidates are sought: a network is located
 * where its first address of the period is (geo databases rarely split a /24), so a million
 * verifications become a few thousand networks to look up. The candidates' own events are then
 * located address by address.
 */

/** Verifications by (user, network, type, ts): migration 0012. */
export const USER_NETWORK_TYPE = 'audit_verify_user_network_type_ts';

const num = (value: unknown) => (value === null || value === undefined ? null : Number(value));

/** A verification of one user with where its address is (ip_locations; nulls where unknown). */
export interface LocatedVerification {
  user_id: string;
  email: string | null;
  ts: number;
  success: boolean;
  ip: string | null;
  network: string | null;
  internal: boolean;
  country: string | null;
  asn: number | null;
  latitude: number | null;
  longitude: number | null;
}

interface LocatedRow {
  user_id: string;
  email: string | null;
  ts: number | string;
  type: string;
  ip: string | null;
  network: string | null;
  internal: number | null;
  country: string | null;
  asn: number | string | null;
  latitude: number | null;
  longitude: number | null;
}

function toLocated(row: LocatedRow): LocatedVerification {
  return {
    user_id: row.user_id,
    email: row.email,
    ts: Number(row.ts),
    success: row.type === VERIFY_SUCCESS,
    ip: row.ip,
    network: row.network,
    internal: Number(row.internal ?? 0) === 1,
    country: Number(row.internal ?? 0) === 1 ? null : row.country,
    asn: num(row.asn),
    latitude: num(row.latitude),
    longitude: num(row.longitude),
  };
}

/**
 * `net_loc(network, internal, country, asn, latitude, longitude)`: where each network of `nets`
 * (a CTE with a `network` column) is, by its first verified address in [fromMs, untilMs). One
 * index seek and one location lookup per network, never per event.
 */
function networkLocations(db: Db, fromMs: number, untilMs: number) {
  const { indexedBy } = engineOf(db);
  return sql`net_loc AS (
      SELECT n.network, l.internal, l.country, l.asn, l.latitude, l.longitude
      FROM nets n JOIN ip_locations l ON l.ip = (
        SELECT r.ip FROM audit_events r ${indexedBy('audit_verify_network_ts')}
        WHERE r.type IN (${SUCCESS}, ${FAILED}) AND r.network = n.network
          AND r.ts >= ${fromMs} AND r.ts < ${untilMs}
        ORDER BY r.ts LIMIT 1
      )
    )`;
}

// ---------------------------------------------------------------------------------------------
// failures_then_success

export interface FailuresThenSuccessRow {
  user_id: string;
  success_ts: number;
  /** The earliest failure of the run that is within the window of the success. */
  first_failure_ts: number;
}

/**
 * Successes that end a run of at least `minFailures` consecutive failed verifications of the same
 * user (no success between them), the whole run and its success within `windowMs`. Reads the
 * failures by (type, ts); the success after each dense window is one seek in the success index.
 */
export function failuresThenSuccessQuery(
  db: Db,
  range: Range,
  minFailures: number,
  windowMs: number,
) {
  const { indexedBy } = engineOf(db);
  return sql<FailuresThenSuccessRow>`
    WITH failures AS (
      SELECT user_id, ts,
        LAG(ts, ${int(minFailures - 1)}) OVER (PARTITION BY user_id ORDER BY ts, id) AS run_start
      FROM audit_events
      WHERE type = ${FAILED} AND ts >= ${range.sinceMs - windowMs} AND ts < ${range.untilMs}
        AND user_id IS NOT NULL
    ),
    runs AS (
      SELECT user_id, run_start, ts AS run_end FROM failures
      WHERE run_start IS NOT NULL AND ts - run_start <= ${int(windowMs)}
    ),
    ended AS (
      SELECT r.user_id, r.run_start, r.run_end,
        (SELECT MIN(s.ts) FROM audit_events s ${indexedBy('audit_success_user_ts')}
          WHERE s.type = ${SUCCESS} AND s.user_id = r.user_id AND s.ts >= r.run_end
            AND s.ts <= r.run_start + ${int(windowMs)}) AS success_ts
      FROM runs r
    )
    SELECT user_id, success_ts, MIN(run_start) AS first_failure_ts FROM ended e
    WHERE success_ts IS NOT NULL AND success_ts >= ${range.sinceMs} AND success_ts < ${range.untilMs}
      AND NOT EXISTS (
        SELECT 1 FROM audit_events b ${indexedBy('audit_success_user_ts')}
        WHERE b.type = ${SUCCESS} AND b.user_id = e.user_id AND b.ts > e.run_start AND b.ts < e.run_end
      )
    GROUP BY user_id, success_ts
    ORDER BY success_ts`;
}

export async function failuresThenSuccess(
  db: Db,
  range: Range,
  minFailures: number,
  windowMs: number,
): Promise<FailuresThenSuccessRow[]> {
  const result = await failuresThenSuccessQuery(db, range, minFailures, windowMs).execute(db);
  return result.rows.map((r) => ({
    user_id: r.user_id,
    success_ts: Number(r.success_ts),
    first_failure_ts: Number(r.first_failure_ts),
  }));
}

/** One user's located verifications in [fromMs, toMs] (both ends included), oldest first. */
export async function locatedVerificationsOf(
  db: Db,
  userId: string,
  fromMs: number,
  toMs: number,
): Promise<LocatedVerification[]> {
  const { indexedBy } = engineOf(db);
  const result = await sql<LocatedRow>`
    SELECT e.user_id, e.email, e.ts, e.type, e.ip, e.network,
      l.internal, l.country, l.asn, l.latitude, l.longitude
    FROM audit_events e ${indexedBy('audit_user_ts')}
    LEFT JOIN ip_locations l ON l.ip = e.ip
    WHERE e.user_id = ${userId} AND e.type IN (${SUCCESS}, ${FAILED})
      AND e.ts >= ${fromMs} AND e.ts <= ${toMs}
    ORDER BY e.ts, e.id`.execute(db);
  return result.rows.map(toLocated);
}

/**
 * Whether a user had a successful verification in [fromMs, beforeMs) from a network, and from
 * a country (null: not asked), and one older than `baselineBeforeMs` (an established user).
 */
export async function userFamiliarity(
  db: Db,
  userId: string,
  where: { network: string | null; country: string | null },
  fromMs: number,
  beforeMs: number,
  baselineBeforeMs: number,
): Promise<{ network: boolean; country: boolean; baseline: boolean }> {
  const { indexedBy } = engineOf(db);
  const result = await sql<{ network: number; country: number; baseline: number }>`
    SELECT
      CASE WHEN EXISTS (
        SELECT 1 FROM audit_events n ${indexedBy(USER_NETWORK_TYPE)}
        WHERE n.type IN (${SUCCESS}, ${FAILED}) AND n.type = ${SUCCESS}
          AND n.user_id = ${userId} AND n.network = ${where.network}
          AND n.ts >= ${fromMs} AND n.ts < ${beforeMs}
      ) THEN 1 ELSE 0 END AS network,
      CASE WHEN EXISTS (
        SELECT 1 FROM audit_events c ${indexedBy('audit_success_user_ts')}
        JOIN ip_locations cl ON cl.ip = c.ip
        WHERE c.type = ${SUCCESS} AND c.user_id = ${userId} AND cl.country = ${where.country}
          AND c.ts >= ${fromMs} AND c.ts < ${beforeMs}
      ) THEN 1 ELSE 0 END AS country,
      CASE WHEN EXISTS (
        SELECT 1 FROM audit_events o ${indexedBy('audit_success_user_ts')}
        WHERE o.type = ${SUCCESS} AND o.user_id = ${userId}
          AND o.ts >= ${fromMs} AND o.ts < ${baselineBeforeMs}
      ) THEN 1 ELSE 0 END AS baseline`.execute(db);
  const row = result.rows[0]!;
  return {
    network: Number(row.network) === 1,
    country: Number(row.country) === 1,
    baseline: Number(row.baseline) === 1,
  };
}

// ---------------------------------------------------------------------------------------------
// new_country

export interface NewCountryOptions {
  lookbackMs: number;
  /** 0: a country is familiar when seen in the lookback; N: only among the last N successes. */
  recentSuccesses: number;
  /** A baseline needs located successes older than this before the verification. */
  baselineSpanMs: number;
}

/**
 * The verifications (over the range and the lookback before it) of the users who may have
 * verified from a new country in the range; the detector decides event by event. A baseline is
 * made of successes from located addresses only: a country cannot be new for someone whose
 * countries were never known.
 *
 * Lookback rule: users with a (country, first verification in the range at T) whose latest
 * success from that country before the range is older than the lookback before T (or missing),
 * and who had a located success more than the baseline span before T.
 * Recent-successes rule (Okta's): users whose located successes and verifications lie in two
 * countries or more: whoever was always in one country cannot change country between sign-ins.
 */
export function newCountryCandidatesQuery(db: Db, range: Range, options: NewCountryOptions) {
  const { indexedBy } = engineOf(db);
  const from = range.sinceMs - options.lookbackMs;
  const candidates: RawBuilder<unknown> =
    options.recentSuccesses > 0
      ? sql`candidates AS (
          SELECT x.user_id FROM pn x JOIN net_loc l ON l.network = x.network
          WHERE l.internal = 0 AND l.country IS NOT NULL
            AND (x.first_ts IS NOT NULL OR x.first_success IS NOT NULL)
          GROUP BY x.user_id
          HAVING COUNT(DISTINCT l.country) >= 2
        )`
      : sql`firsts AS (
          SELECT p.user_id, l.country, MIN(p.first_ts) AS first_ts
          FROM pn p JOIN net_loc l ON l.network = p.network
          WHERE l.internal = 0 AND l.country IS NOT NULL AND p.first_ts IS NOT NULL
          GROUP BY p.user_id, l.country
        ),
        known AS (
          SELECT s.user_id, l.country, MIN(s.first_success) AS first_success,
            MAX(s.last_before) AS last_before
          FROM pn s JOIN net_loc l ON l.network = s.network
          WHERE l.internal = 0 AND l.country IS NOT NULL AND s.first_success IS NOT NULL
          GROUP BY s.user_id, l.country
        ),
        located_since AS (
          SELECT user_id, MIN(first_success) AS first_success FROM known GROUP BY user_id
        ),
        candidates AS (
          SELECT DISTINCT f.user_id FROM firsts f
          JOIN located_since u ON u.user_id = f.user_id
            AND u.first_success < f.first_ts - ${int(options.baselineSpanMs)}
          LEFT JOIN known k ON k.user_id = f.user_id AND k.country = f.country
          WHERE k.last_before IS NULL OR k.last_before < f.first_ts - ${int(options.lookbackMs)}
        )`;
  return sql<LocatedRow>`
    WITH pn AS (
      -- Per (user, network), from the index alone: first verification in the range, first
      -- success in the window, last success before the range.
      SELECT user_id, network,
        MIN(CASE WHEN ts >= ${range.sinceMs} THEN ts END) AS first_ts,
        MIN(CASE WHEN type = ${SUCCESS} THEN ts END) AS first_success,
        MAX(CASE WHEN type = ${SUCCESS} AND ts < ${range.sinceMs} THEN ts END) AS last_before
      FROM audit_events ${indexedBy(USER_NETWORK_TYPE)}
      WHERE type IN (${SUCCESS}, ${FAILED}) AND ts >= ${from} AND ts < ${range.untilMs}
        AND user_id IS NOT NULL AND network IS NOT NULL
      GROUP BY user_id, network
    ),
    nets AS (SELECT DISTINCT network FROM pn),
    ${networkLocations(db, from, range.untilMs)},
    ${candidates}
    SELECT e.user_id, e.email, e.ts, e.type, e.ip, e.network,
      l.internal, l.country, l.asn, l.latitude, l.longitude
    FROM candidates c
    JOIN audit_events e ${indexedBy('audit_user_ts')} ON e.user_id = c.user_id
    LEFT JOIN ip_locations l ON l.ip = e.ip
    WHERE e.type IN (${SUCCESS}, ${FAILED}) AND e.ts >= ${from} AND e.ts < ${range.untilMs}
    ORDER BY e.user_id, e.ts, e.id`;
}

export async function newCountryCandidates(
  db: Db,
  range: Range,
  options: NewCountryOptions,
): Promise<LocatedVerification[]> {
  const result = await newCountryCandidatesQuery(db, range, options).execute(db);
  return result.rows.map(toLocated);
}

// ---------------------------------------------------------------------------------------------
// impossible_travel

/**
 * The located successful verifications (internal addresses left out) in the range of the users
 * whose networks of the range lie in two countries, or spread over more than `spanDegrees` of
 * latitude or longitude: only they can have travelled far. (Two places within `spanDegrees` of
 * each other on both axes are at most spanDegrees × 111.2 km × √2 apart.)
 */
export function travelCandidatesQuery(db: Db, range: Range, spanDegrees: number, lookbackMs = 0) {
  const { indexedBy } = engineOf(db);
  return sql<LocatedRow>`
    WITH pairs AS (
      SELECT user_id, network
      FROM audit_events ${indexedBy(USER_NETWORK_TYPE)}
      WHERE type IN (${SUCCESS}, ${FAILED}) AND type = ${SUCCESS}
        AND ts >= ${range.sinceMs} AND ts < ${range.untilMs}
        AND user_id IS NOT NULL AND network IS NOT NULL
      GROUP BY user_id, network
    ),
    nets AS (SELECT DISTINCT network FROM pairs),
    ${networkLocations(db, range.sinceMs, range.untilMs)},
    candidates AS (
      SELECT p.user_id FROM pairs p JOIN net_loc l ON l.network = p.network
      WHERE l.internal = 0
      GROUP BY p.user_id
      HAVING COUNT(DISTINCT l.country) >= 2
        OR MAX(l.latitude) - MIN(l.latitude) > ${spanDegrees}
        OR MAX(l.longitude) - MIN(l.longitude) > ${spanDegrees}
    )
    SELECT e.user_id, e.email, e.ts, e.type, e.ip, e.network,
      l.internal, l.country, l.asn, l.latitude, l.longitude
    FROM candidates c
    JOIN audit_events e ${indexedBy('audit_success_user_ts')} ON e.user_id = c.user_id
    JOIN ip_locations l ON l.ip = e.ip
    WHERE e.type = ${SUCCESS} AND e.ts >= ${range.sinceMs - lookbackMs} AND e.ts < ${range.untilMs}
      AND l.internal = 0
    ORDER BY e.user_id, e.ts, e.id`;
}

/** Candidates' located successes in the range, and in the `lookbackMs` before it (their habits). */
export async function travelCandidates(
  db: Db,
  range: Range,
  spanDegrees: number,
  lookbackMs = 0,
): Promise<LocatedVerification[]> {
  const result = await travelCandidatesQuery(db, range, spanDegrees, lookbackMs).execute(db);
  return result.rows.map(toLocated);
}

// ---------------------------------------------------------------------------------------------
// novel_asn

export interface NovelAsnRow {
  asn: number;
  first_ts: number;
  network: string;
}

/**
 * Autonomous systems whose first verification in the range (at T) comes with no successful
 * verification from any address located in them in the lookback before T, one row per (asn,
 * network seen in the range).
 */
export function novelAsnsQuery(db: Db, range: Range, lookbackMs: number) {
  const { indexedBy } = engineOf(db);
  // Only the period's networks are located (each once, materialized: SQLite would otherwise
  // locate them again for each reference); whether a system is familiar is one probe per
  // system: any success before the period from an address located in it, through the asn
  // index and the verifications-by-address index, stopping at the first.
  return sql<NovelAsnRow>`
    WITH nets AS (
      SELECT network, MIN(ts) AS first_ts
      FROM audit_events ${indexedBy('audit_verify_network_ts')}
      WHERE type IN (${SUCCESS}, ${FAILED}) AND ts >= ${range.sinceMs} AND ts < ${range.untilMs}
        AND network IS NOT NULL
      GROUP BY network
    ),
    ${networkLocations(db, range.sinceMs, range.untilMs)},
    located AS MATERIALIZED (
      SELECT n.network, n.first_ts, l.asn FROM nets n
      JOIN net_loc l ON l.network = n.network
      WHERE l.internal = 0 AND l.asn IS NOT NULL
    ),
    firsts AS (SELECT asn, MIN(first_ts) AS first_ts FROM located GROUP BY asn)
    SELECT f.asn, f.first_ts, k.network FROM firsts f
    JOIN located k ON k.asn = f.asn
    -- Novel: no success from the system within the lookback before its first verification.
    WHERE NOT EXISTS (
      SELECT 1 FROM ip_locations p
      JOIN audit_events s ${indexedBy('audit_verify_ip_ts')} ON s.ip = p.ip
      WHERE p.asn = f.asn AND s.type IN (${SUCCESS}, ${FAILED}) AND s.type = ${SUCCESS}
        AND s.ts >= f.first_ts - ${int(lookbackMs)} AND s.ts < ${range.sinceMs}
    )
    ORDER BY f.first_ts, f.asn, k.network`;
}

export async function novelAsns(db: Db, range: Range, lookbackMs: number) {
  const result = await novelAsnsQuery(db, range, lookbackMs).execute(db);
  return result.rows.map((r) => ({
    asn: Number(r.asn),
    first_ts: Number(r.first_ts),
    network: r.network,
  }));
}

/** The verifications from some networks whose addresses belong to `asn`, in [fromMs, untilMs). */
export async function verificationsFromAsn(
  db: Db,
  asn: number,
  networks: readonly string[],
  fromMs: number,
  untilMs: number,
): Promise<LocatedVerification[]> {
  const { indexedBy } = engineOf(db);
  const result = await sql<LocatedRow>`
    SELECT e.user_id, e.email, e.ts, e.type, e.ip, e.network,
      l.internal, l.country, l.asn, l.latitude, l.longitude
    FROM audit_events e ${indexedBy('audit_verify_network_ts')}
    JOIN ip_locations l ON l.ip = e.ip
    WHERE e.type IN (${SUCCESS}, ${FAILED}) AND e.network IN (${sql.join(networks)})
      AND e.ts >= ${fromMs} AND e.ts < ${untilMs} AND l.asn = ${asn}
    ORDER BY e.ts, e.id`.execute(db);
  return result.rows.map(toLocated);
}

/** When the org's first successful verification was (null: none yet). */
export async function firstSuccessTs(db: Db): Promise<number | null> {
  const row = await db
    .selectFrom('audit_events')
    .select((eb) => eb.fn.min('ts').as('ts'))
    .where('type', '=', VERIFY_SUCCESS)
    .executeTakeFirst();
  return num(row?.ts);
}
