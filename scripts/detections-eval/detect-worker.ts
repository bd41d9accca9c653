import type { TrustedNetworksSettings } from '../../src/shared/contract';
import { trustedNetworksFor } from '../../src/main/detections/analytics';
import {
  defaultPatternSettings,
  detectors,
  runDetectors,
  settingsKeyOf,
} from '../../src/main/detections/registry';
import { connect } from '../../src/main/store/connection';
import type { Range } from '../../src/main/store/verification-queries';
import { CONSOLE_RUN } from './console-run';
import type { ScoredFinding } from './score';

/**
 * One detector of the registry over the eval's window, in a child process on its own read-only
 * connection (as the app's analytics worker runs them), so the eval can time each and kill a slow
 * one (a query in better-sqlite3 cannot be interrupted, not even by terminating a worker thread).
 */
interface Job {
  dbFile: string;
  kind: string;
  range: Range;
  trust: TrustedNetworksSettings;
}

const reply = (message: unknown) =>
  new Promise<void>((resolve) => process.send!(message, () => resolve()));

async function run({ dbFile, kind, range, trust }: Job): Promise<void> {
  if (kind === CONSOLE_RUN) return runConsole({ dbFile, kind, range, trust });
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
  await reply({ findings, ms: performance.now() - started });
}

/** Every detector through runDetectors: what the Findings panel and `org2fa patterns` show. */
async function runConsole({ dbFile, range, trust }: Job): Promise<void> {
  const { db } = connect(dbFile, { readonly: true, fileMustExist: true });
  const trusted = await trustedNetworksFor(db, range, trust);
  const started = performance.now();
  const found = await runDetectors(db, range, defaultPatternSettings, trusted);
  const findings: ScoredFinding[] = found.map((f) => ({
    kind: f.kind,
    title: f.title,
    why: f.why,
    users: f.users,
    ips: f.ips,
    start: f.start,
    end: f.end,
  }));
  await reply({ findings, ms: performance.now() - started });
}

process.once('message', (job: Job) => {
  run(job)
    .catch((error: unknown) =>
      reply({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
    )
    .finally(() => process.exit(0));
});
