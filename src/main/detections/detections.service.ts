import type { DetectorInfo, Finding } from '../../shared/contract';
import type { Clock } from '../clock';
import type { TimeRangeInput } from '../audit/time-range';
import type { PatternSettingsService } from './pattern-settings.service';
import type { TrustedNetworksService } from './trusted-networks.service';
import { detectorInfos } from './registry';
import type { AnalyticsRunner } from './runner';

export interface DetectionsService {
  /** The registry's detectors, for the settings form and the findings panel. */
  list(): DetectorInfo[];
  /**
   * The saved thresholds and trusted networks, then every detector over the period (in the
   * analytics runner).
   */
  findings(range: TimeRangeInput): Promise<{ findings: Finding[] }>;
}

/** The detections use cases the router and the CLI both call. */
export function createDetectionsService(deps: {
  patternSettings: PatternSettingsService;
  trustedNetworks: TrustedNetworksService;
  analytics: AnalyticsRunner;
  clock: Clock;
}): DetectionsService {
  return {
    list: detectorInfos,
    findings: async (range) =>
      deps.analytics.run(
        'patterns',
        range,
        deps.clock.now(),
        await deps.patternSettings.get(),
        await deps.trustedNetworks.get(),
      ),
  };
}
