import { parentPort, workerData } from 'node:worker_threads';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { DomainError } from '../domain-error';
import type { Database } from '../store/schema';
import { createAnalytics } from './analytics';
import type { AnalyticsCall, WorkerReply } from './runner';

/** Entry of the analytics worker thread: a read-only connection and the same analytics code. */
const { dbFile, nativeBinding } = workerData as { dbFile: string; nativeBinding?: string };
const sqlite = new BetterSqlite3(dbFile, {
  readonly: true,
  fileMustExist: true,
  ...(nativeBinding ? { nativeBinding } : {}),
});
sqlite.pragma('busy_timeout = 5000');
const analytics = createAnalytics(
  new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) }),
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
      error: {
        code: error instanceof DomainError ? error.code : null,
        message: error instanceof Error ? error.message : String(error),
        stack: error instanceof Error ? error.stack : undefined,
      },
    };
  }
  port.postMessage(reply);
});
