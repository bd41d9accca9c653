import type { ParsedInput } from '../../shared/contract';
import { auditEventTypes } from '../../shared/audit-events';
import { failureHeatmap, topFailures, verificationsByCountry } from '../store/audit-charts.store';
import { HOUR_MS, hourlyCounts } from '../store/hourly-counts.store';
import type { Db } from '../store/schema';
import { VERIFY_FAILED, VERIFY_SUCCESS } from '../../shared/audit-events';
import { DAY_MS, MINUTE_MS, rangeOf } from './time-range';

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * The audit charts and the summary report: pure functions of the store and a `now` from the
 * main process's clock, so they run the same in-process or in a worker.
 */
export function createAuditCharts(db: Db) {
  return {
    async timeline(input: ParsedInput<'audit.timeline'>, now: number) {
      const range = rangeOf(input, now, input.bucket === 'hour' ? 7 : 90);
      const bucketMs = input.bucket === 'hour' ? HOUR_MS : DAY_MS;
      const counts = await hourlyCounts(db, range, [VERIFY_SUCCESS, VERIFY_FAILED]);
      const first = Math.floor(range.sinceMs / bucketMs);
      const last = Math.floor((range.untilMs - 1) / bucketMs);
      const buckets = Array.from({ length: last - first + 1 }, (_, i) => ({
        start: iso((first + i) * bucketMs),
        success: 0,
        failed: 0,
        spike: false,
      }));
      for (const c of counts) {
        // Hours nest in both bucket sizes: an hour falls in exactly one bucket.
        const bucket = buckets[Math.floor((c.hour * HOUR_MS) / bucketMs) - first];
        if (!bucket) continue;
        if (c.type === VERIFY_FAILED) bucket.failed += c.n;
        else bucket.success += c.n;
      }
      // A spike: failures more than three standard deviations above the period's mean.
      const failed = buckets.map((b) => b.failed);
      const mean = failed.reduce((a, b) => a + b, 0) / Math.max(1, failed.length);
      const sd = Math.sqrt(
        failed.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, failed.length),
      );
      for (const bucket of buckets)
        bucket.spike = bucket.failed >= 10 && bucket.failed > mean + 3 * sd;
      return { bucket: input.bucket, buckets };
    },

    async top(input: ParsedInput<'audit.top'>, now: number) {
      const rows = await topFailures(db, rangeOf(input, now, 30), input.by, input.limit ?? 10);
      return {
        by: input.by,
        rows: rows.map((r) => ({
          key: r.key,
          label: input.by === 'user' ? (r.label ?? r.key) : r.key,
          failures: r.n,
        })),
      };
    },

    async heatmap(input: ParsedInput<'audit.heatmap'>, now: number) {
      const cells = await failureHeatmap(
        db,
        rangeOf(input, now, 30),
        (input.tzOffsetMinutes ?? 0) * MINUTE_MS,
      );
      const all = Array.from({ length: 7 * 24 }, (_, i) => ({
        weekday: Math.floor(i / 24),
        hour: i % 24,
        failures: 0,
      }));
      for (const cell of cells) all[cell.weekday * 24 + cell.hour]!.failures = cell.n;
      return { cells: all };
    },

    /** Verifications per country of their address; internal and unlocated addresses apart. */
    async countries(input: ParsedInput<'audit.countries'>, now: number) {
      const result = {
        countries: [] as Array<{ country: string; success: number; failed: number }>,
        unknown: { success: 0, failed: 0 },
        internal: { success: 0, failed: 0 },
      };
      const add = (into: { success: number; failed: number }, row: typeof into) => {
        into.success += row.success;
        into.failed += row.failed;
      };
      for (const row of await verificationsByCountry(db, rangeOf(input, now, 30))) {
        // Internal addresses (private, loopback, CGNAT, documentation) are never a country.
        if (row.internal) add(result.internal, row);
        else if (row.country === null) add(result.unknown, row);
        else
          result.countries.push({ country: row.country, success: row.success, failed: row.failed });
      }
      result.countries.sort(
        (a, b) => b.failed - a.failed || b.success - a.success || (a.country < b.country ? -1 : 1),
      );
      return result;
    },

    /** Events per type in a period, from the hourly counts (the partial hours at its ends counted). */
    async summary(input: ParsedInput<'audit.summary'>, now: number) {
      const range = rangeOf(input, now, 30);
      const perType = new Map<string, number>();
      for (const c of await hourlyCounts(db, range))
        perType.set(c.type, (perType.get(c.type) ?? 0) + c.n);
      const counts = auditEventTypes.map((type) => ({ type, count: perType.get(type) ?? 0 }));
      return { counts: counts.filter((c) => c.count > 0).sort((a, b) => b.count - a.count) };
    },
  };
}
