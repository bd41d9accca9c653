import type { z } from 'zod';
import type { App } from '../../src/main/app';
import {
  nothingTrusted,
  type Detector,
  type TrustedNetworks,
} from '../../src/main/detections/detector';
import { DAY } from './history';

/**
 * One detector alone over the 90 days up to `now`, with its defaults or the given settings:
 * what a `<name>.detector.test.ts` checks, without the registry or the other detectors.
 */
export function runDetector<S extends z.ZodObject>(
  detector: Detector<S>,
  app: App,
  now: number,
  settings: Partial<z.input<S>> = {},
  trusted: TrustedNetworks = nothingTrusted,
) {
  return detector.detect({
    db: app.db,
    range: { sinceMs: now - 90 * DAY, untilMs: now },
    settings: detector.settings.parse(settings),
    trusted,
  });
}
