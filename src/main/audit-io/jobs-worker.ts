import { parentPort, workerData } from 'node:worker_threads';
import { DomainError } from '../domain-error';
import { createAuditService } from '../services/audit.service';
import { connect } from '../store/connection';
import type { ExportWorkers } from './export-chunks';
import { runJob, type JobContext, type JobMessage, type JobSpec } from './jobs';

/** Entry of a job worker thread: its own connection, one job, progress and result by message. */
const data = workerData as {
  dbFile: string;
  nativeBinding?: string;
  exportWorkers: ExportWorkers | null;
  spec: JobSpec;
  context: JobContext;
  clockOffset: number;
};
const { db } = connect(data.dbFile, { fileMustExist: true, nativeBinding: data.nativeBinding });
// The main process's clock, carried over: audit times agree whichever thread records them.
const clock = { now: () => Date.now() + data.clockOffset };
const controller = new AbortController();
const port = parentPort!;
port.on('message', (message: { type: string }) => {
  if (message.type === 'cancel') controller.abort();
});
const post = (message: JobMessage) => port.postMessage(message);

runJob(
  { db, clock, audit: createAuditService({ clock }), exportWorkers: data.exportWorkers },
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
