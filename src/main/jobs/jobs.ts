import { Worker } from 'node:worker_threads';
import type { Clock } from '../clock';
import { deserializeError, type SerializedError } from '../domain-error';
import type { AuditService } from '../audit/audit.service';
import { verifyAuditChain, type ChainVerification } from '../audit/audit-verify';
import type { ClientInfo } from '../client-info';
import type { Db } from '../store/schema';
import type { ExportWorkers } from '../audit/export-chunks';
import { exportEvents } from '../audit/export-events';
import { importEventFile, type ImportResult } from '../audit/import-events';
import type { AuditFilterInput, ExportManifest } from '../../shared/contract';
import type { EventFileFormat } from '../../shared/event-file';
import type { GeoSelection } from '../geo/offline-locator';
import fs from 'node:fs';
import { once } from 'node:events';

/** Long audit work, described so it can run here or in a worker thread. */
export type JobSpec =
  | { kind: 'import'; file: string; displayName: string; skipInvalid: boolean }
  | { kind: 'export'; format: EventFileFormat; filters: AuditFilterInput; out: string }
  | { kind: 'verify' };

export type JobResult =
  | { kind: 'import'; result: ImportResult }
  | { kind: 'export'; manifest: ExportManifest }
  | { kind: 'verify'; result: ChainVerification };

export interface JobContext {
  client: ClientInfo;
  actor: { id: string; email: string } | null;
  now: number;
}

export interface JobProgress {
  done: number;
  total: number | null;
}

/** What a job runs against: the same in-process and in the job worker. */
export interface JobDeps {
  db: Db;
  clock: Clock;
  audit: AuditService;
  exportWorkers: ExportWorkers | null;
}

/** Runs one job against a database: the same code in-process and in the worker. */
export async function runJob(
  deps: JobDeps,
  spec: JobSpec,
  context: JobContext,
  signal: AbortSignal,
  onProgress: (progress: JobProgress) => void,
): Promise<JobResult> {
  switch (spec.kind) {
    case 'import':
      return {
        kind: 'import',
        result: await importEventFile(deps, {
          file: spec.file,
          displayName: spec.displayName,
          skipInvalid: spec.skipInvalid,
          signal,
          onProgress: (p) => onProgress({ done: p.bytesRead, total: p.totalBytes }),
          client: context.client,
          actor: context.actor,
        }),
      };
    case 'export': {
      const out = fs.createWriteStream(spec.out, { mode: 0o600 });
      try {
        const { manifest } = await exportEvents(deps, {
          format: spec.format,
          filters: spec.filters,
          out,
          signal,
          onProgress: (count) => onProgress({ done: count, total: null }),
          client: context.client,
          actor: context.actor,
          now: context.now,
          workers: deps.exportWorkers,
        });
        out.end();
        await once(out, 'close');
        return { kind: 'export', manifest };
      } catch (error) {
        out.destroy();
        fs.rmSync(spec.out, { force: true });
        throw error;
      }
    }
    case 'verify':
      return {
        kind: 'verify',
        result: await verifyAuditChain(deps.db, (done, total) => onProgress({ done, total })),
      };
  }
}

/** A started job: its result, and a way to stop it (the database rolls back what it did). */
export interface RunningJob {
  result: Promise<JobResult>;
  cancel(): void;
}

export interface JobRunner {
  readonly where: 'in-process' | 'worker';
  start(
    spec: JobSpec,
    context: JobContext,
    onProgress: (progress: JobProgress) => void,
  ): RunningJob;
}

export function inProcessJobs(deps: JobDeps): JobRunner {
  return {
    where: 'in-process',
    start(spec, context, onProgress) {
      const controller = new AbortController();
      return {
        result: runJob(deps, spec, context, controller.signal, onProgress),
        cancel: () => controller.abort(),
      };
    },
  };
}

export type JobMessage =
  | { type: 'progress'; progress: JobProgress }
  | { type: 'done'; result: JobResult }
  | { type: 'error'; error: SerializedError };

/**
 * Each job in its own worker thread with its own connection: a million-event import or export
 * never blocks the Electron main process or the web host.
 */
export function workerJobs(
  workerFile: string,
  dbFile: string,
  clock: Clock,
  nativeBinding: string | undefined,
  exportWorkers: ExportWorkers | null,
  geo: () => GeoSelection,
): JobRunner {
  return {
    where: 'worker',
    start(spec, context, onProgress) {
      const worker = new Worker(workerFile, {
        workerData: {
          dbFile,
          nativeBinding,
          exportWorkers,
          spec,
          context,
          clockOffset: clock.now() - Date.now(),
          // The geo databases this process uses at the job's start: an import locates with them.
          geo: geo(),
        },
      });
      const result = new Promise<JobResult>((resolve, reject) => {
        worker.on('message', (message: JobMessage) => {
          if (message.type === 'progress') onProgress(message.progress);
          else if (message.type === 'done') resolve(message.result);
          else reject(deserializeError(message.error));
        });
        worker.on('error', reject);
        worker.on('exit', (code) =>
          reject(new Error(`The job's worker stopped (exit code ${code}).`)),
        );
      }).finally(() => void worker.terminate());
      return { result, cancel: () => worker.postMessage({ type: 'cancel' }) };
    },
  };
}
