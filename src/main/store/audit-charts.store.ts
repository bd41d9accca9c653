import { sql } from 'kysely';
import type { Db } from './schema';
import { VERIFY_FAILED } from '../../shared/audit-events';
import { int, type Range } from './verification-queries';

/**
 * Aggregates behind the audit charts (top failures, weekday × hour heatmap): ranges over the
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
