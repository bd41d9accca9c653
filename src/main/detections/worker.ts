import { parentPort, workerData } from 'node:worker_threads';
import { serializeError } from '../domain-error';
import { connect } from '../store/connection';
import { createAnalytics } from './analytics';
import type { AnalyticsCall, WorkerReply } from './runner';

/** Entry of the analytics worker thread: a read-only connection and the same analytics code. */
const { dbFile, nativeBinding } = workerData as { dbFile: string; nativeBinding?: string };
const analytics = createAnalytics(
  connect(dbFile, { readonly: true, fileMustExist: true, nativeBinding }).db,
);
const port = parentPort!;

port.on('message', async (message: { id: number; call: AnalyticsCall; args: unknown[] }) => {
  let reply: WorkerReply;
  try {
    const run = analytics[message.call] as (...args: unknown[]) => Promise<unknown>;
    reply = { id: message.id, result: await run(...message.args) };
  } catch (error) {
    reply = {
      id: message.id,
      error: serializeError(error),
    };
  }
  port.postMessage(reply);
});
