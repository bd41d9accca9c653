import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createApp, type App } from '../../src/main/app';
import { manualClock } from '../../src/main/clock';
import { silentLogger, type Logger } from '../../src/main/logger';
import type { CallContext } from '../../src/main/router';
import type { ClientInfo } from '../../src/main/client-info';
import { createSharedDatabase } from './engine';

/** A fresh folder under the OS temp dir, removed by the returned cleanup. */
export function makeTempDir(prefix = 'org2fa-test-'): { dir: string; cleanup(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

export const TEST_START = Date.parse('2026-03-02T09:00:00Z');

export interface TempApp {
  app: App;
  clock: ReturnType<typeof manualClock>;
  dir: string;
  dbPath: string;
  /** Environment a CLI run against this database needs (on PostgreSQL: the shared key). */
  env: Record<string, string>;
  close(): Promise<void>;
}

/**
 * The real app on a real database with a hand-moved clock: a SQLite file in a temp folder, or a
 * fresh PostgreSQL database when the suites run on PostgreSQL (tests/support/engine.ts). `dbPath`
 * is what `--db` takes for it either way; `env` holds what a CLI run against it needs (the key).
 */
export async function createTempApp(options: { logger?: Logger } = {}): Promise<TempApp> {
  const { dir, cleanup } = makeTempDir();
  const database = await createSharedDatabase(dir, 'console');
  const clock = manualClock(TEST_START);
  const app = await createApp({
    dbPath: database.location,
    clock,
    logger: options.logger ?? silentLogger,
    env: { ...process.env, ...database.env },
  });
  return {
    app,
    clock,
    dir,
    dbPath: database.location,
    env: database.env,
    close: async () => {
      await app.close();
      await database.drop();
      cleanup();
    },
  };
}

export const TEST_CLIENT: ClientInfo = {
  ip: '203.0.113.7',
  userAgent: 'vitest/1 (contract suite)',
};

export function newCallContext(client: ClientInfo = TEST_CLIENT): CallContext {
  return { client, session: { token: null } };
}

export const ADMIN = {
  orgName: 'Acme Corp',
  adminName: 'Ada Admin',
  adminEmail: 'ada@acme.test',
  password: 'correct horse battery staple',
} as const;
