import { sql } from 'kysely';
import { countTrailByHour, HOUR_MS, hourOf } from './sql-fragments';
import type { Db } from './schema';
import type { Range } from './verification-queries';

export { HOUR_MS };

/**
 * audit_hourly_counts: events per hour and type, kept up as events are appended, so charts and
 * summaries over months read about 2,000 rows instead of most of the trail.
 */

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
