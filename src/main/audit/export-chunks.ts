import fs from 'node:fs';
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { EventFileFormat } from '../../shared/event-file';
import {
  exportedEventBatches,
  idRanges,
  type AuditFilter,
  type IdRange,
} from '../store/audit.store';
import type { Db } from '../store/schema';
import { formatRows, type FormattedChunk } from './export-format';

export type ChunkReply = { seq: number; chunk: FormattedChunk } | { seq: number; error: string };
export type ChunkRequest = { seq: number; range: IdRange } | { stop: true };

/** How long a worker asked to stop may take before it is terminated. */
const STOP_GRACE_MS = 5_000;

/**
 * Ends a worker between two chunks: it closes its connection and exits. Terminating it at once
 * could land inside better-sqlite3's native code (opening a file that fails, say), which aborts
 * the whole process; terminate stays the fallback for a worker that does not answer.
 */
async function stopWorker(worker: Worker): Promise<void> {
  if (worker.threadId === -1) return; // already gone
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  worker.postMessage({ stop: true } satisfies ChunkRequest);
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), STOP_GRACE_MS);
  });
  if ((await Promise.race([exited, late])) === 'late') await worker.terminate();
  clearTimeout(timer);
}

/** Where bundled export workers can read the same database (absent: format in-process). */
export interface ExportWorkers {
  workerFile: string;
  /** The SQLite file, or the PostgreSQL URL: what each worker connects to. */
  database: string;
  nativeBinding?: string;
  /** Trail size (in ids) from which they are used; below, start-up costs more than they save. */
  fromIds?: number;
}

const PARALLEL_FROM_IDS = 50_000;
const WORKER_YOUNG_GENERATION_MB = 16;
/** Chunks formatted ahead of the writer per worker: bounds memory whatever the disk's speed. */
const AHEAD_PER_WORKER = 2;

/**
 * The export's events as formatted chunks, in id order. On a large trail, reading and formatting
 * run in worker threads (one per core, up to four) while this thread hashes and writes: rows
 * with ids up to the chain head never change, so every worker sees the same events.
 */
export function exportChunks(options: {
  db: Db;
  filter: AuditFilter;
  format: EventFileFormat;
  maxId: number;
  workers?: ExportWorkers | null;
}): AsyncGenerator<FormattedChunk> {
  const ranges = idRanges(options.maxId);
  const count = Math.min(4, os.availableParallelism());
  const workers = options.workers;
  const large = options.maxId >= (workers?.fromIds ?? PARALLEL_FROM_IDS);
  if (workers && large && count > 1 && fs.existsSync(workers.workerFile))
    return pooledChunks(workers, options.filter, options.format, ranges, count);
  return inProcessChunks(options.db, options.filter, options.format, options.maxId);
}

async function* inProcessChunks(
  db: Db,
  filter: AuditFilter,
  format: EventFileFormat,
  maxId: number,
): AsyncGenerator<FormattedChunk> {
  for await (const rows of exportedEventBatches(db, filter, maxId)) yield formatRows(rows, format);
}

interface Pending {
  promise: Promise<FormattedChunk>;
  resolve(chunk: FormattedChunk): void;
  reject(error: Error): void;
}

function pending(): Pending {
  let resolve!: Pending['resolve'];
  let reject!: Pending['reject'];
  const promise = new Promise<FormattedChunk>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // Rejections are observed when the writer reaches that chunk; do not report them earlier.
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}

async function* pooledChunks(
  workers: ExportWorkers,
  filter: AuditFilter,
  format: EventFileFormat,
  ranges: IdRange[],
  workerCount: number,
): AsyncGenerator<FormattedChunk> {
  const results = new Map<number, Pending>();
  const resultOf = (seq: number) => {
    let entry = results.get(seq);
    if (!entry) results.set(seq, (entry = pending()));
    return entry;
  };
  let nextToSend = 0;
  let nextToYield = 0;
  const idle: Worker[] = [];
  const maxAhead = workerCount * AHEAD_PER_WORKER;
  const dispatch = () => {
    while (idle.length > 0 && nextToSend < ranges.length && nextToSend - nextToYield < maxAhead) {
      const seq = nextToSend++;
      idle.pop()!.postMessage({ seq, range: ranges[seq]! } satisfies ChunkRequest);
    }
  };
  const failAll = (error: Error) => {
    for (let seq = nextToYield; seq < ranges.length; seq++) resultOf(seq).reject(error);
  };
  const pool = Array.from({ length: workerCount }, () => {
    const worker = new Worker(workers.workerFile, {
      workerData: {
        database: workers.database,
        nativeBinding: workers.nativeBinding,
        filter,
        format,
      },
      // Each chunk dies young; a small nursery keeps the export's memory flat (measured: same speed).
      resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB },
    });
    worker.on('message', (reply: ChunkReply) => {
      if ('chunk' in reply) resultOf(reply.seq).resolve(reply.chunk);
      else resultOf(reply.seq).reject(new Error(reply.error));
      idle.push(worker);
      dispatch();
    });
    worker.on('error', (error: unknown) =>
      failAll(
        error instanceof Error
          ? error
          : new Error(`An export worker failed: ${JSON.stringify(error)}`),
      ),
    );
    worker.on('exit', (code) => {
      if (nextToYield < ranges.length)
        failAll(new Error(`An export worker stopped (exit code ${code}).`));
    });
    return worker;
  });
  try {
    idle.push(...pool);
    dispatch();
    for (; nextToYield < ranges.length; nextToYield++) {
      const chunk = await resultOf(nextToYield).promise;
      results.delete(nextToYield);
      yield chunk;
      dispatch();
    }
  } finally {
    // Finished, failed or abandoned (a cancelled export): stop every worker.
    nextToYield = ranges.length;
    await Promise.all(pool.map(stopWorker));
  }
}
