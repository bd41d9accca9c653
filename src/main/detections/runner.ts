import { Worker } from 'node:worker_threads';
import { deserializeError, type SerializedError } from '../domain-error';
import type { Db } from '../store/schema';
import { createAnalytics, type Analytics } from './analytics';

export type AnalyticsCall = keyof Analytics;
type Args<K extends AnalyticsCall> = Parameters<Analytics[K]>;
type Result<K extends AnalyticsCall> = Awaited<ReturnType<Analytics[K]>>;

/** Runs the audit page and analyses somewhere: here, or in a worker thread off the main loop. */
export interface AnalyticsRunner {
  readonly where: 'in-process' | 'worker';
  run<K extends AnalyticsCall>(call: K, ...args: Args<K>): Promise<Result<K>>;
  close(): Promise<void>;
}

export function inProcessRunner(db: Db): AnalyticsRunner {
  const analytics = createAnalytics(db);
  return {
    where: 'in-process',
    run: (call, ...args) => (analytics[call] as (...a: unknown[]) => Promise<never>)(...args),
    close: async () => undefined,
  };
}

/** What crosses from the worker: a result, or an error the router can map. */
export type WorkerReply = { id: number; result: unknown } | { id: number; error: SerializedError };

/**
 * better-sqlite3 is synchronous: a query over a million events would freeze the Electron main
 * process and the web host for its duration. The worker holds its own read-only connection.
 */
export function workerRunner(
  workerFile: string,
  dbFile: string,
  nativeBinding?: string,
): AnalyticsRunner {
  const worker = new Worker(workerFile, { workerData: { dbFile, nativeBinding } });
  worker.unref();
  const pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  let nextId = 1;
  let failed: Error | null = null;

  worker.on('message', (reply: WorkerReply) => {
    const waiting = pending.get(reply.id);
    if (!waiting) return;
    pending.delete(reply.id);
    if ('result' in reply) waiting.resolve(reply.result);
    else waiting.reject(deserializeError(reply.error));
  });
  const failAll = (error: Error) => {
    failed = error;
    for (const waiting of pending.values()) waiting.reject(error);
    pending.clear();
  };
  worker.on('error', failAll);
  worker.on('exit', (code) =>
    failAll(new Error(`The analytics worker stopped (exit code ${code}).`)),
  );

  return {
    where: 'worker',
    run(call, ...args) {
      if (failed) return Promise.reject(failed);
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
        worker.ref();
        worker.postMessage({ id, call, args });
      }).finally(() => {
        if (pending.size === 0) worker.unref();
      }) as Promise<never>;
    },
    async close() {
      worker.removeAllListeners('exit');
      await worker.terminate();
    },
  };
}
