import type { PatternSettings } from '../../shared/contract';
import { createAuditCharts } from '../audit/audit-charts';
import { createAuditPage } from '../audit/audit-page';
import { rangeOf, type TimeRangeInput } from '../audit/time-range';
import type { Db } from '../store/schema';
import { defaultPatternSettings, runDetectors } from './registry';

/**
 * Everything the analytics runner runs (runner.ts): the audit page, the charts and the
 * detectors. Pure functions of the store and a `now` from the main process's clock, so they run
 * the same in-process or in a worker thread.
 */
export function createAnalytics(db: Db) {
  return {
    ...createAuditPage(db),
    ...createAuditCharts(db),

    /** Every detector's findings over the period (default: the 90 days up to `now`). */
    async patterns(
      input: TimeRangeInput,
      now: number,
      settings: PatternSettings = defaultPatternSettings,
    ) {
      return { findings: await runDetectors(db, rangeOf(input, now, 90), settings) };
    },
  };
}

export type Analytics = ReturnType<typeof createAnalytics>;
