import { sql } from 'kysely';
import { ACCOUNT_LOCKED_TYPES } from '../../shared/audit-events';
import { engineOf } from './engine';
import type { Db } from './schema';
import { FAILED, int, SUCCESS, unresolvedFailure, type Range } from './verification-queries';

/**
 * The volume detectors' reads (sprays, lockout storms, backup-code bursts): each finds its
 * candidate periods in one set-based query over an index, then `eventsSummary` gives the few
 * candidates their users, addresses and count.
 */

const LOCKED = sql.join(ACCOUNT_LOCKED_TYPES.map((type) => sql.lit(type)));
const BACKUP_CODE = sql.lit('backup_code');

/** The fixed time bin of an event, of `binMs`, its grid shifted by `offsetMs`. */
const binOf = (binMs: number, offsetMs: number) => sql`(ts + ${int(offsetMs)}) / ${int(binMs)}`;

/** Unresolved failures (typos left out) in a range: what sprays are counted from. */
const unresolvedFailuresIn = (range: Range) =>
  sql`type = ${FAILED} AND ts >= ${range.sinceMs} AND ts < ${range.untilMs} AND ${unresolvedFailure()}`;

/** One grid of time bins: its size, its shift, and how many users a bin must exceed. */
export interface BinScale {
  binMs: number;
  offsetMs: number;
  moreThanUsers: number;
}

/**
 * Failures by time from the partial index that holds what sprays are grouped by (0014): the
 * table is not read. SQLite would take the (type, ts) index and a table read per failure.
 */
const failuresIndex = (db: Db) => engineOf(db).indexedBy('audit_failed_ts_user_ip');

export interface AddressBinRow {
  /** Which of the scales asked for (its index) the bin is of. */
  scale: number;
  ipKey: string;
  /** One of the address's spellings (they share the key): what a finding and its link show. */
  ip: string;
  users: number;
  firstTs: number;
  lastTs: number;
  /** The address's non-empty bins of that scale in the range, the sum of their users and of its squares. */
  bins: number;
  usersSum: number;
  usersSquares: number;
}

/**
 * Per scale and address, its bins with more than the scale's `moreThanUsers` distinct users
 * failing, each with what its mean and standard deviation are computed from: the count, sum and
 * sum of squares of distinct users over every non-empty bin of that address and scale in the
 * range. The unresolved failures (and their typo checks, the costly part) are read once,
 * materialized, then grouped once per scale; the statistics are window aggregates over the bins.
 */
export function addressBinsQuery(db: Db, range: Range, scales: readonly BinScale[]) {
  const grouped = scales.map(
    (scale, i) => sql`SELECT ${int(i)} AS scale, ip_key, MIN(ip) AS ip,
        COUNT(DISTINCT user_id) AS users, MIN(ts) AS first_ts, MAX(ts) AS last_ts
      FROM failures GROUP BY ip_key, ${binOf(scale.binMs, scale.offsetMs)}`,
  );
  const wanted = scales.map(
    (scale, i) => sql`(scale = ${int(i)} AND users > ${int(scale.moreThanUsers)})`,
  );
  return sql<Record<keyof AddressBinRow, unknown>>`
    WITH failures AS MATERIALIZED (
      SELECT ip_key, ip, user_id, ts FROM audit_events ${failuresIndex(db)}
      WHERE ${unresolvedFailuresIn(range)} AND ip_key IS NOT NULL
    ),
    bins AS (${sql.join(grouped, sql` UNION ALL `)}),
    scored AS (
      SELECT scale, ip_key, ip, users, first_ts, last_ts,
        COUNT(*) OVER (PARTITION BY scale, ip_key) AS bins,
        SUM(users) OVER (PARTITION BY scale, ip_key) AS users_sum,
        SUM(users * users) OVER (PARTITION BY scale, ip_key) AS users_squares
      FROM bins
    )
    SELECT scale, ip_key AS "ipKey", ip, users, first_ts AS "firstTs", last_ts AS "lastTs", bins,
      users_sum AS "usersSum", users_squares AS "usersSquares"
    FROM scored WHERE ${sql.join(wanted, sql` OR `)}
    ORDER BY ip_key, first_ts`;
}

export async function addressBins(
  db: Db,
  range: Range,
  scales: readonly BinScale[],
): Promise<AddressBinRow[]> {
  const { rows } = await addressBinsQuery(db, range, scales).execute(db);
  return rows.map((r) => ({
    scale: Number(r.scale),
    ipKey: String(r.ipKey),
    ip: String(r.ip),
    users: Number(r.users),
    firstTs: Number(r.firstTs),
    lastTs: Number(r.lastTs),
    bins: Number(r.bins),
    usersSum: Number(r.usersSum),
    usersSquares: Number(r.usersSquares),
  }));
}

export interface SpreadBinRow {
  users: number;
  addresses: number;
  pairs: number;
  firstTs: number;
  lastTs: number;
}

export interface SpreadThresholds {
  moreThanUsers: number;
  moreThanAddresses: number;
  moreThanPairs: number;
}

/**
 * Bins (of `binMs`, on each grid shift given) in which more than the given numbers of distinct
 * users, distinct addresses and distinct user-address pairs failed: a spray spread over many
 * addresses. The unresolved failures are read once, then grouped per grid.
 */
export function spreadBinsQuery(
  db: Db,
  range: Range,
  binMs: number,
  offsetsMs: readonly number[],
  thresholds: SpreadThresholds,
) {
  const pairs = sql`COUNT(DISTINCT user_id || '|' || ip_key)`;
  const grouped = offsetsMs.map(
    (offsetMs) => sql`SELECT COUNT(DISTINCT user_id) AS users, COUNT(DISTINCT ip_key) AS addresses,
        ${pairs} AS pairs, MIN(ts) AS first_ts, MAX(ts) AS last_ts
      FROM failures
      GROUP BY ${binOf(binMs, offsetMs)}
      HAVING COUNT(DISTINCT user_id) > ${int(thresholds.moreThanUsers)}
        AND COUNT(DISTINCT ip_key) > ${int(thresholds.moreThanAddresses)}
        AND ${pairs} > ${int(thresholds.moreThanPairs)}`,
  );
  return sql<Record<keyof SpreadBinRow, unknown>>`
    WITH failures AS MATERIALIZED (
      SELECT user_id, ip_key, ts FROM audit_events ${failuresIndex(db)}
      WHERE ${unresolvedFailuresIn(range)}
    ),
    bins AS (${sql.join(grouped, sql` UNION ALL `)})
    SELECT users, addresses, pairs, first_ts AS "firstTs", last_ts AS "lastTs"
    FROM bins ORDER BY first_ts`;
}

export async function spreadBins(
  db: Db,
  range: Range,
  binMs: number,
  offsetsMs: readonly number[],
  thresholds: SpreadThresholds,
): Promise<SpreadBinRow[]> {
  const { rows } = await spreadBinsQuery(db, range, binMs, offsetsMs, thresholds).execute(db);
  return rows.map((r) => ({
    users: Number(r.users),
    addresses: Number(r.addresses),
    pairs: Number(r.pairs),
    firstTs: Number(r.firstTs),
    lastTs: Number(r.lastTs),
  }));
}

export interface TimeWindowRow {
  firstTs: number;
  lastTs: number;
}

/**
 * Windows of `windowMs` from each account lockout in the range (one per lockout, two at the same
 * moment apart) in which at least `minAccounts` distinct accounts (user id, or the e-mail of an unknown one) were locked out. Lockouts are
 * few; each is joined to the lockouts after it by a range read of the (type, ts) index.
 */
export function lockoutWindowsQuery(range: Range, windowMs: number, minAccounts: number) {
  const account = sql`COALESCE(b.user_id, b.email)`;
  return sql<Record<keyof TimeWindowRow, unknown>>`
    SELECT MIN(a.ts) AS "firstTs", MAX(b.ts) AS "lastTs"
    FROM audit_events a
    JOIN audit_events b ON b.type IN (${LOCKED}) AND b.ts >= a.ts AND b.ts <= a.ts + ${int(windowMs)}
      AND b.ts < ${range.untilMs}
    WHERE a.type IN (${LOCKED}) AND a.ts >= ${range.sinceMs} AND a.ts < ${range.untilMs}
    GROUP BY a.id
    HAVING COUNT(DISTINCT ${account}) >= ${int(minAccounts)}
    ORDER BY a.ts`;
}

export async function lockoutWindows(
  db: Db,
  range: Range,
  windowMs: number,
  minAccounts: number,
): Promise<TimeWindowRow[]> {
  const { rows } = await lockoutWindowsQuery(range, windowMs, minAccounts).execute(db);
  return rows.map((r) => ({ firstTs: Number(r.firstTs), lastTs: Number(r.lastTs) }));
}

export interface UserWindowRow extends TimeWindowRow {
  userId: string;
}

/**
 * Windows of `minCodes` consecutive sign-ins of one user with a backup code (successful
 * verifications by that method: each spends a code) within `windowMs`. Read from the partial
 * index of those sign-ins (0014), a sliver of the trail.
 */
export function backupCodeWindowsQuery(db: Db, range: Range, minCodes: number, windowMs: number) {
  const { indexedBy } = engineOf(db);
  return sql<Record<keyof UserWindowRow, unknown>>`
    WITH spent AS (
      SELECT user_id, ts,
        LAG(ts, ${int(minCodes - 1)}) OVER (PARTITION BY user_id ORDER BY ts, id) AS window_start
      FROM audit_events ${indexedBy('audit_backup_code_user_ts')}
      WHERE type = ${SUCCESS} AND method = ${BACKUP_CODE}
        AND ts >= ${range.sinceMs} AND ts < ${range.untilMs} AND user_id IS NOT NULL
    )
    SELECT user_id AS "userId", window_start AS "firstTs", ts AS "lastTs" FROM spent
    WHERE window_start IS NOT NULL AND ts - window_start <= ${int(windowMs)}
    ORDER BY user_id, window_start`;
}

export async function backupCodeWindows(
  db: Db,
  range: Range,
  minCodes: number,
  windowMs: number,
): Promise<UserWindowRow[]> {
  const { rows } = await backupCodeWindowsQuery(db, range, minCodes, windowMs).execute(db);
  return rows.map((r) => ({
    userId: String(r.userId),
    firstTs: Number(r.firstTs),
    lastTs: Number(r.lastTs),
  }));
}

/** Which events of a finding `eventsSummary` describes; the same terms as its audit filter. */
export type SummaryOf =
  | { events: 'unresolved_failures'; ipKey?: string }
  | { events: 'lockouts' }
  | { events: 'backup_code_sign_ins'; userId: string };

export interface EventsSummary {
  /** Distinct e-mails and addresses, sorted. */
  emails: string[];
  ips: string[];
  count: number;
}

/** The users, addresses and number of a finding's events (a candidate period, a few rows). */
export async function eventsSummary(db: Db, range: Range, of: SummaryOf): Promise<EventsSummary> {
  const within = sql`ts >= ${range.sinceMs} AND ts < ${range.untilMs}`;
  const where =
    of.events === 'unresolved_failures'
      ? of.ipKey
        ? sql`${unresolvedFailuresIn(range)} AND ip_key = ${of.ipKey}`
        : unresolvedFailuresIn(range)
      : of.events === 'lockouts'
        ? sql`type IN (${LOCKED}) AND ${within}`
        : sql`type = ${SUCCESS} AND method = ${BACKUP_CODE} AND user_id = ${of.userId} AND ${within}`;
  const { rows } = await sql<{ email: string | null; ip: string | null; n: unknown }>`
    SELECT email, ip, COUNT(*) AS n FROM audit_events WHERE ${where} GROUP BY email, ip`.execute(
    db,
  );
  const distinct = (values: Array<string | null>) =>
    [...new Set(values.filter((v): v is string => Boolean(v)))].sort();
  return {
    emails: distinct(rows.map((r) => r.email)),
    ips: distinct(rows.map((r) => r.ip)),
    count: rows.reduce((sum, r) => sum + Number(r.n), 0),
  };
}
