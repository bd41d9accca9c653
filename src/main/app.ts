import fs from 'node:fs';
import path from 'node:path';
import { inProcessRunner, workerRunner, type AnalyticsRunner } from './detections/runner';
import { inProcessJobs, workerJobs, type JobDeps, type JobRunner } from './jobs/jobs';
import type { ExportWorkers } from './audit/export-chunks';
import { createExportsDestination, createUploads, type Transfers } from './jobs/transfers';
import { systemClock, type Clock } from './clock';
import { authHandlers } from './auth/auth.handlers';
import { auditHandlers } from './audit/audit.handlers';
import { detectionsHandlers } from './detections/detections.handlers';
import { createDetectionsService, type DetectionsService } from './detections/detections.service';
import type { HandlerDeps } from './handler-context';
import { createJobProtocol, type JobProtocol } from './jobs/job-protocol';
import { uploadsHandlers } from './jobs/uploads.handlers';
import { orgHandlers } from './org/org.handlers';
import { rolloutHandlers } from './rollout/rollout.handlers';
import { templatesHandlers } from './templates/templates.handlers';
import { twoFactorHandlers } from './two-factor/two-factor.handlers';
import { usersHandlers } from './users/users.handlers';
import { consoleLogger, type Logger } from './logger';
import { createPushBus, type PushBus } from './push-bus';
import { createRouter, type Handlers, type Router } from './router';
import { createServices, type Services } from './services';
import { geoHandlers } from './geo/geo.handlers';
import { savedGeoDirectory } from './geo/geo.service';
import { selectionOf } from './geo/geo-state';
import { defaultKeyFile, loadOrCreateKeyFile, type KeyMaterial } from './keys/key-file';
import { sharedKey } from './keys/shared-key';
import { assertKeyMatchesDatabase } from './keys/key-check';
import { openDatabase, type OpenedDatabase } from './store/database';
import type { GeoSelection } from './geo/offline-locator';
import type { Db } from './store/schema';

export interface AppOptions {
  dbPath: string;
  clock?: Clock;
  logger?: Logger;
  /** better-sqlite3 addon built for Electron's ABI; the CLI and tests use the default build. */
  nativeBinding?: string;
  /**
   * The master key; by default the key file named by ORG2FA_KEY_FILE or beside the database
   * (created on first use). Electron passes one kept in the OS keychain.
   */
  keys?: KeyMaterial | ((dbFile: string) => KeyMaterial);
  env?: NodeJS.ProcessEnv;
  /**
   * The bundled analytics worker (analytics-worker.js beside the bundle that runs this code).
   * Absent (running from source, as the tests do), analytics run in-process.
   */
  analyticsWorkerFile?: string | null;
  /** Bundled job worker (jobs-worker.js); absent, imports and exports run in-process. */
  jobsWorkerFile?: string | null;
  /** Bundled export worker (export-worker.js); absent, large exports format in one thread. */
  exportWorkerFile?: string | null;
  /** Where exports go: offered for download (web host, CLI, tests) or saved into a folder (desktop). */
  exports?: { mode: 'download' } | { mode: 'save'; dir: string };
}

/**
 * Large exports format in worker threads on either engine (formatting is CPU work). Jobs and
 * analytics open the SQLite file in workers because synchronous better-sqlite3 must not block
 * the main loop; PostgreSQL's driver is asynchronous, so on it they run in-process.
 */
function exportWorkersFor(options: AppOptions, database: string): ExportWorkers | null {
  const file =
    options.exportWorkerFile === undefined
      ? path.join(__dirname, 'export-worker.js')
      : options.exportWorkerFile;
  return file && fs.existsSync(file)
    ? { workerFile: file, database, nativeBinding: options.nativeBinding }
    : null;
}

/**
 * The file worker threads open for themselves: only where the driver would block this thread
 * (SQLite). Null: long work runs in-process.
 */
function workerDatabaseFile(opened: OpenedDatabase): string | null {
  return opened.engine.blocksThread ? opened.file : null;
}

function jobRunnerFor(
  options: AppOptions,
  deps: JobDeps,
  dbFile: string | null,
  geo: () => GeoSelection,
): JobRunner {
  if (!dbFile) return inProcessJobs(deps);
  const file =
    options.jobsWorkerFile === undefined
      ? path.join(__dirname, 'jobs-worker.js')
      : options.jobsWorkerFile;
  return file && fs.existsSync(file)
    ? workerJobs(file, dbFile, deps.clock, options.nativeBinding, deps.exportWorkers, geo)
    : inProcessJobs(deps);
}

function analyticsRunnerFor(options: AppOptions, db: Db, dbFile: string | null): AnalyticsRunner {
  if (!dbFile) return inProcessRunner(db);
  const file =
    options.analyticsWorkerFile === undefined
      ? path.join(__dirname, 'analytics-worker.js')
      : options.analyticsWorkerFile;
  return file && fs.existsSync(file)
    ? workerRunner(file, dbFile, options.nativeBinding)
    : inProcessRunner(db);
}

/** Every contract call's handler, one slice per domain; the type refuses a missing one. */
function createHandlers(deps: HandlerDeps): Handlers {
  return {
    ...orgHandlers(deps),
    ...authHandlers(deps),
    ...usersHandlers(deps),
    ...twoFactorHandlers(deps),
    ...auditHandlers(deps),
    ...detectionsHandlers(deps),
    ...geoHandlers(deps),
    ...uploadsHandlers(deps),
    ...rolloutHandlers(deps),
    ...templatesHandlers(deps),
  };
}

/** Store + services + router, with no transport and no Electron: what every host runs. */
export interface App {
  router: Router;
  services: Services;
  push: PushBus;
  db: Db;
  /** What to call the database in messages: the file, or the URL without its password. */
  dbLocation: string;
  keys: Pick<KeyMaterial, 'source' | 'location'>;
  analytics: AnalyticsRunner;
  /** The detections use cases (findings with the saved thresholds), for the CLI too. */
  detections: DetectionsService;
  transfers: Transfers;
  /** Running jobs of every transport, by the id their caller chose. */
  jobs: JobProtocol;
  /** Threads a large export formats in (null: in the calling thread). */
  exportWorkers: ExportWorkers | null;
  close(): Promise<void>;
}

/**
 * The master key: one a caller passes; for a database several consoles share (PostgreSQL), the
 * org's key that every console shares; for a SQLite file, the key file beside it (or named by
 * ORG2FA_KEY_FILE).
 */
function keysFor(options: AppOptions, opened: OpenedDatabase): KeyMaterial {
  if (options.keys && typeof options.keys !== 'function') return options.keys;
  const dbFile = opened.engine.sharedByConsoles ? null : opened.file;
  if (dbFile === null) return sharedKey(options.env ?? process.env);
  if (typeof options.keys === 'function') return options.keys(dbFile);
  return loadOrCreateKeyFile(defaultKeyFile(dbFile, options.env));
}

export async function createApp(options: AppOptions): Promise<App> {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? consoleLogger;
  const opened = await openDatabase(options.dbPath, { nativeBinding: options.nativeBinding });
  let keys: KeyMaterial;
  try {
    keys = keysFor(options, opened);
    await assertKeyMatchesDatabase(opened.db, keys);
  } catch (error) {
    await opened.close();
    throw error;
  }
  const geo = selectionOf(options.env ?? process.env, await savedGeoDirectory(opened.db));
  const services = createServices({ db: opened.db, clock, keys, geo, logger });
  // A trail older than ip_locations (or filled with lookups off) is located once, here.
  await services.geo.backfill();
  const push = createPushBus();
  const workerFile = workerDatabaseFile(opened);
  const analytics = analyticsRunnerFor(options, opened.db, workerFile);
  const detections = createDetectionsService({
    patternSettings: services.patternSettings,
    trustedNetworks: services.trustedNetworks,
    analytics,
    clock,
  });
  const exportWorkers = exportWorkersFor(options, opened.connectTo);
  const transfers = {
    jobs: jobRunnerFor(
      options,
      { db: opened.db, clock, audit: services.audit, exportWorkers },
      workerFile,
      services.geo.selection,
    ),
    uploads: createUploads({ clock }),
    exports: createExportsDestination({ ...(options.exports ?? { mode: 'download' }), clock }),
  };
  const jobs = createJobProtocol(push);
  const router = createRouter({
    handlers: createHandlers({ ...services, analytics, detections, clock, transfers, jobs }),
    resolveSession: (token) => services.auth.resolve(token),
    proveIdentity: ({ sessionToken, user, proof, client, level }) =>
      services.reauth.ensureRecent(
        sessionToken,
        user,
        { code: proof.code, password: proof.currentPassword },
        client,
        { fresh: level === 'fresh' },
      ),
    jobs,
    logger,
  });
  return {
    router,
    services,
    push,
    db: opened.db,
    dbLocation: opened.location,
    keys: { source: keys.source, location: keys.location },
    analytics,
    detections,
    transfers,
    jobs,
    exportWorkers,
    close: async () => {
      await analytics.close();
      transfers.uploads.close();
      transfers.exports.close();
      await opened.close();
    },
  };
}
