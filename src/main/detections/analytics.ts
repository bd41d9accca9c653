import type { PatternSettings, TrustedNetworksSettings } from '../../shared/contract';
import { createAuditCharts } from '../audit/audit-charts';
import { createAuditPage } from '../audit/audit-page';
import { DAY_MS, rangeOf, type TimeRangeInput } from '../audit/time-range';
import type { Db } from '../store/schema';
import { addressesInAsns, ordinaryNetworks } from '../store/trusted-networks.store';
import type { Range } from '../store/verification-queries';
import type { TrustedNetworks } from './detector';
import { defaultPatternSettings, runDetectors } from './registry';
import {
  defaultTrustedNetworks,
  ORDINARY_MIN_USERS,
  trustedAsns,
  trustedNetworksMatcher,
} from './trusted-networks';

/** How far back "networks the org's users use" looks: the detectors' own lookback. */
const ORDINARY_LOOKBACK_MS = 90 * DAY_MS;

/**
 * The trust detectors get for a period: the saved entries, plus the networks the org's users
 * ordinarily use over the 90 days up to its end. Built here, where the store is, so it works the
 * same in the analytics worker (only the plain settings cross the thread).
 */
export async function trustedNetworksFor(
  db: Db,
  range: Range,
  settings: TrustedNetworksSettings,
): Promise<TrustedNetworks> {
  const [ordinary, asnAddresses] = await Promise.all([
    ordinaryNetworks(
      db,
      { sinceMs: range.untilMs - ORDINARY_LOOKBACK_MS, untilMs: range.untilMs },
      settings.ordinaryPercent,
      ORDINARY_MIN_USERS,
    ),
    addressesInAsns(db, trustedAsns(settings)),
  ]);
  return trustedNetworksMatcher(settings, {
    ordinaryNetworks: ordinary,
    trustedAsnAddresses: asnAddresses,
  });
}

/**
 * Everything the analytics runner runs (runner.ts): the audit page, the charts and the
 * detectors. Pure functions of the store and a `now` from the main process's clock, so they run
 * the same in-process or in a worker thread.
 */
export function createAnalytics(db: Db) {
  return {
    ...createAuditPage(db),
    ...createAuditCharts(db),

    /**
     * Every detector's findings over the period (default: the 90 days up to `now`), none of
     * them for the trusted networks.
     */
    async patterns(
      input: TimeRangeInput,
      now: number,
      settings: PatternSettings = defaultPatternSettings,
      trust: TrustedNetworksSettings = defaultTrustedNetworks,
    ) {
      const range = rangeOf(input, now, 90);
      const trusted = await trustedNetworksFor(db, range, trust);
      return { findings: await runDetectors(db, range, settings, trusted) };
    },
  };
}

export type Analytics = ReturnType<typeof createAnalytics>;
