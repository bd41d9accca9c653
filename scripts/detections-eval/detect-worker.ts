import { parentPort, workerData } from 'node:worker_threads';
import type { TrustedNetworksSettings } from '../../src/shared/contract';
import { trustedNetworksFor } from '../../src/main/detections/analytics';
import {
  defaultPatternSettings,
  detectors,
  settingsKeyOf,
} from '../../src/main/detections/registry';
import { connect } from '../../src/main/store/connection';
import type { Range } from '../../src/main/store/verification-queries';
import type { ScoredFinding } from './score';

/**
 * One detector of the registry over the eval's window, on its own read-only connection (as the
 * app's analytics worker runs them), so the eval can time each and stop waiting for a slow one.
 */
const { dbFile, kind, range, trust } = workerData as {
  dbFile: string;
  kind: string;
  range: Range;
  trust: TrustedNetworksSettings;
};

async function run(): Promise<void> {
  const detector = detectors.find((d) => d.kind === kind);
  if (!detector) throw new Error(`no detector ${kind}`);
  const { db } = connect(dbFile, { readonly: true, fileMustExist: true });
  const trusted = await trustedNetworksFor(db, range, trust);
  const started = performance.now();
  const found = await detector.detect({
    db,
    range,
    settings: detector.settings.parse(defaultPatternSettings[settingsKeyOf(kind)] ?? {}),
    trusted,
  });
  const findings: ScoredFinding[] = found.map((f) => ({
    kind,
    title: f.title,
    why: f.why,
    users: f.users,
    ips: f.ips,
    start: f.start,
    end: f.end,
  }));
  parentPort!.postMessage({ findings, ms: performance.now() - started });
}

run().catch((error: unknown) => {
  parentPort!.postMessage({
    error: error instanceof Error ? (error.stack ?? error.message) : String(error),
  });
});
