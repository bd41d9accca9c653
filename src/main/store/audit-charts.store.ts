import { sql } from 'kysely';
import { engineOf } from './engine';
import type { Db } from './schema';
import { VERIFY_FAILED } from '../../shared/audit-events';
import { FAILED, int, SUCCESS, type Range } from './verification-queries';

/**
 * Aggregates behind the audit charts (top failures, weekday × hour heatmap, countries): ranges over the
 * (type, ts) index grouped in SQL, so the renderer only sees buckets. The timeline and the
 * summary read hourly-counts.store.ts.
 */

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

/** Verifications from one address (or none) in a country, or internal, or unknown. */
export interface CountryCountRow {
  country: string | null;
  internal: number;
  success: number;
  failed: number;
}

/**
 * Verifications per (country, internal) of their address. Counted per address first, from the
 * (ip, ts, type) index in its order (no sort, no table reads), and only then joined to
 * ip_locations: one lookup per distinct address, not per event. An address with no ip_locations
 * row (or no address at all) comes out as country null and not internal: unknown.
 */
export function countriesQuery(db: Db, range: Range) {
  const { indexedBy } = engineOf(db);
  return sql<CountryCountRow>`
    SELECT l.country AS country, COALESCE(l.internal, 0) AS internal,
      SUM(v.success) AS success, SUM(v.failed) AS failed
    FROM (
      SELECT ip,
        SUM(CASE WHEN type = ${SUCCESS} THEN 1 ELSE 0 END) AS success,
        SUM(CASE WHEN type = ${FAILED} THEN 1 ELSE 0 END) AS failed
      FROM audit_events ${indexedBy('audit_verify_ip_ts')}
      WHERE type IN (${SUCCESS}, ${FAILED}) AND ts >= ${range.sinceMs} AND ts < ${range.untilMs}
      GROUP BY ip
    ) v
    LEFT JOIN ip_locations l ON l.ip = v.ip
    GROUP BY l.country, COALESCE(l.internal, 0)`;
}

export async function verificationsByCountry(db: Db, range: Range) {
  const { rows } = await countriesQuery(db, range).execute(db);
  return rows.map((r) => ({
    country: r.country,
    internal: Number(r.internal) === 1,
    success: Number(r.success),
    failed: Number(r.failed),
  }));
}
