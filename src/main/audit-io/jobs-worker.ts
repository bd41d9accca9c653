import { parentPort, workerData } from 'node:worker_threads';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { DomainError } from '../domain-error';
import { createAuditService } from '../services/audit.service';
import type { Database } from '../store/schema';
import { runJob, type JobContext, type JobMessage, type JobSpec } from './jobs';

/** Entry of a job worker thread: its own connection, one job, progress and result by message. */
const data = workerData as {
  dbFile: string;
  nativeBinding?: string;
  spec: JobSpec;
  context: JobContext;
  clockOffset: number;
};
const sqlite = new BetterSqlite3(data.dbFile, {
  fileMustExist: true,
  ...(data.nativeBinding ? { nativeBinding: data.nativeBinding } : {}),
});
sqlite.pragma('busy_timeout = 5000');
sqlite.pragma('foreign_keys = ON');
const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
// The main process's clock, carried over: audit times agree whichever thread records them.
const clock = { now: () => Date.now() + data.clockOffset };
const controller = new AbortController();
const port = parentPort!;
port.on('message', (message: { type: string }) => {
  if (message.type === 'cancel') controller.abort();
});
const post = (message: JobMessage) => port.postMessage(message);

runJob(
  { db, clock, audit: createAuditService({ clock }) },
  data.spec,
  data.context,
  controller.signal,
  (progress) => post({ type: 'progress', progress }),
)
  .then((result) => post({ type: 'done', result }))
  .catch((error: unknown) =>
    post({
      type: 'error',
      error: {
        code: error instanceof DomainError ? error.code : null,
        message: error instanceof Error ? error.message : String(error),
        stack: error instanceof Error ? error.stack : undefined,
      },
    }),
  )
  .finally(() => void db.destroy());
