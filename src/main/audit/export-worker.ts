import { parentPort, workerData } from 'node:worker_threads';
import type { EventFileFormat } from '../../shared/event-file';
import type { AuditFilter } from '../store/audit.store';
import { connectReader } from '../store/database';
import type { Db } from '../store/schema';
import { formatChunk } from './export-format';
import type { ChunkReply, ChunkRequest } from './export-chunks';

/** Entry of an export worker: a reading connection that formats the chunks it is sent. */
const data = workerData as {
  database: string;
  nativeBinding?: string;
  filter: AuditFilter;
  format: EventFileFormat;
};
// Opened on the first chunk, so a database that cannot be opened is that chunk's error, in words.
let db: Db | null = null;
const database = () =>
  (db ??= connectReader(data.database, { nativeBinding: data.nativeBinding, cacheKib: 2048 }));
const port = parentPort!;

port.on('message', async (message: ChunkRequest) => {
  if ('stop' in message) {
    // Asked to stop between chunks: close the connection and let the thread end by itself.
    await db?.destroy();
    port.close();
    return;
  }
  let reply: ChunkReply;
  try {
    reply = {
      seq: message.seq,
      chunk: await formatChunk(database(), data.filter, data.format, message.range),
    };
  } catch (error) {
    reply = { seq: message.seq, error: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(reply, 'chunk' in reply ? [reply.chunk.bytes.buffer as ArrayBuffer] : []);
});
