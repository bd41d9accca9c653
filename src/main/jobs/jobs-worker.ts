import { parentPort, workerData } from 'node:worker_threads';
import { serializeError } from '../domain-error';
import { createAuditService } from '../audit/audit.service';
import { createGeoState } from '../geo/geo-state';
import { createLocationRecorder } from '../geo/location-recorder';
import type { GeoSelection } from '../geo/offline-locator';
import { connect } from '../store/connection';
import type { ExportWorkers } from '../audit/export-chunks';
import { runJob, type JobContext, type JobMessage, type JobSpec } from './jobs';

/** Entry of a job worker thread: its own connection, one job, progress and result by message. */
const data = workerData as {
  dbFile: string;
  nativeBinding?: string;
  exportWorkers: ExportWorkers | null;
  spec: JobSpec;
  context: JobContext;
  clockOffset: number;
  geo: GeoSelection;
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

// An import fills ip_locations here as it appends, with the main process's databases.
const locations = createLocationRecorder(createGeoState(data.geo));
runJob(
  { db, clock, audit: createAuditService({ clock, locations }), exportWorkers: data.exportWorkers },
  data.spec,
  data.context,
  controller.signal,
  (progress) => post({ type: 'progress', progress }),
)
  .then((result) => post({ type: 'done', result }))
  .catch((error: unknown) => post({ type: 'error', error: serializeError(error) }))
  .finally(() => void db.destroy());
