import type { PatternSettings, TrustedNetworksSettings } from '../../shared/contract';
import { createAuditCharts } from '../audit/audit-charts';
import { createAuditPage } from '../audit/audit-page';
import { DAY_MS, rangeOf, type TimeRangeInput } from '../audit/time-range';
import { ordinaryNetworks } from '../store/trusted-networks.store';
import type { Db } from '../store/schema';
import { defaultPatternSettings, runDetectors } from './registry';
import { defaultTrustedNetworks, trustedNetworksMatcher } from './trusted-networks';

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
      trusted: TrustedNetworksSettings = defaultTrustedNetworks,
    ) {
      const range = rangeOf(input, now, 90);
      // "Ordinary" means: used by many of the org's users over the 90 days up to the period's end.
      const ordinary = await ordinaryNetworks(
        db,
        { sinceMs: range.untilMs - 90 * DAY_MS, untilMs: range.untilMs },
        trusted.ordinaryPercent,
      );
      return {
        findings: await runDetectors(
          db,
          range,
          settings,
          trustedNetworksMatcher(trusted, ordinary),
        ),
      };
    },
  };
}

export type Analytics = ReturnType<typeof createAnalytics>;
