import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/main/app';
import { silentLogger } from '../../src/main/logger';
import { openDatabase } from '../../src/main/store/database';
import { ok, caller } from '../support/console-driver';
import { initOrgWithCli, runCliForTest } from '../support/cli-run';
import { createSharedDatabase, engineName } from '../support/engine';
import { ADMIN, makeTempDir } from '../support/temp-app';

const EVENTS_PER_FILE = 10_000;

/** Historical verification events; `batch` keeps two files' events distinct. */
function eventFile(dir: string, batch: string): string {
  const lines = Array.from({ length: EVENTS_PER_FILE }, (_, i) =>
    JSON.stringify({
      type: 'com.alaigned.auth.2fa.verify.failed',
      timestamp: new Date(Date.UTC(2026, 9, 1, 8, 0, 0, i)).toISOString(),
      userId: `${batch}-${i % 11}`,
      email: `${batch}${i % 11}@acme.test`,
      ip: `203.0.113.${i % 250}`,
      userAgent: 'Mozilla/5.0 (X11; Linux x86_64)',
      method: 'totp',
      details: { batch, n: i },
    }),
  );
  const file = path.join(dir, `${batch}.jsonl`);
  fs.writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

/** `org2fa import` in its own OS process, as a second console or a script would run it. */
function importInChildProcess(db: string, file: string, env: Record<string, string>) {
  const child = spawn(
    process.execPath,
    [path.resolve('bin/org2fa.js'), 'import', '--db', db, file],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const started = new Promise<void>((resolve) => child.once('spawn', resolve));
  const exited = new Promise<{ code: number | null; output: string }>((resolve) =>
    child.once('exit', (code) => resolve({ code, output })),
  );
  return { started, exited };
}

describe(`several processes writing one database’s audit trail at once (${engineName})`, () => {
  let temp: ReturnType<typeof makeTempDir>;
  let shared: Awaited<ReturnType<typeof createSharedDatabase>>;
  let db: string;
  beforeEach(async () => {
    temp = makeTempDir();
    shared = await createSharedDatabase(temp.dir);
    db = shared.location;
    await initOrgWithCli(shared.location, shared.env);
  });
  afterEach(async () => {
    await shared.drop();
    temp.cleanup();
  });

  /** The chain's own invariants, straight from the file: nothing forked, nothing missing. */
  const chainFacts = async () => {
    const opened = await openDatabase(db);
    const total = await sql<{ n: number }>`SELECT COUNT(*) AS n FROM audit_events`.execute(
      opened.db,
    );
    const forks = await sql<{ prev_hash: string; n: number }>`
      SELECT prev_hash, COUNT(*) AS n FROM audit_events GROUP BY prev_hash HAVING COUNT(*) > 1
    `.execute(opened.db);
    const imported = await sql<{ details: string }>`
      SELECT details FROM audit_events WHERE source IS NOT NULL
    `.execute(opened.db);
    const perBatch = new Map<string, number>();
    for (const { details } of imported.rows) {
      const batch = (JSON.parse(details) as { batch: string }).batch;
      perBatch.set(batch, (perBatch.get(batch) ?? 0) + 1);
    }
    await opened.close();
    return {
      total: Number(total.rows[0]!.n),
      forks: forks.rows,
      batches: [...perBatch].sort().map(([batch, n]) => ({ batch, n })),
    };
  };

  it('two imports racing in two processes: both land whole, no event shares a predecessor, the chain verifies', async () => {
    const before = (await chainFacts()).total;
    const first = importInChildProcess(db, eventFile(temp.dir, 'east'), shared.env);
    const second = importInChildProcess(db, eventFile(temp.dir, 'west'), shared.env);
    const results = await Promise.all([first.exited, second.exited]);
    for (const result of results) expect(result.code, result.output).toBe(0);

    const facts = await chainFacts();
    // Each import also records that it happened.
    expect(facts.total).toBe(before + 2 * EVENTS_PER_FILE + 2);
    expect(facts.forks).toEqual([]);
    expect(facts.batches).toEqual([
      { batch: 'east', n: EVENTS_PER_FILE },
      { batch: 'west', n: EVENTS_PER_FILE },
    ]);
    const verify = await runCliForTest(['audit', 'verify', '--db', db], '', shared.env);
    expect(verify.code, verify.stderr).toBe(0);
  }, 120_000);

  it('a live console keeps recording admin actions while another process imports: nothing lost, chain intact', async () => {
    const app = await createApp({
      dbPath: db,
      logger: silentLogger,
      env: { ...process.env, ...shared.env },
    });
    try {
      const admin = caller(app);
      ok(await admin.call('auth.signIn', { email: ADMIN.adminEmail, password: ADMIN.password }));
      const before = (await chainFacts()).total;

      const importer = importInChildProcess(db, eventFile(temp.dir, 'north'), shared.env);
      await importer.started;
      let saved = 0;
      let importDone = false;
      void importer.exited.then(() => (importDone = true));
      // Keep writing until the import has finished, so the two writers really overlap.
      while (!importDone || saved < 50) {
        ok(
          await admin.call('templates.save', {
            name: `Reminder ${saved}`,
            subject: 'Two-factor authentication reminder',
            body: `Reminder number ${saved}.`,
          }),
        );
        saved += 1;
        // SQLite calls are synchronous: let the event loop see the importer's exit.
        await new Promise((resolve) => setImmediate(resolve));
      }
      const imported = await importer.exited;
      expect(imported.code, imported.output).toBe(0);

      const facts = await chainFacts();
      expect(facts.total).toBe(before + EVENTS_PER_FILE + 1 + saved);
      expect(saved).toBeGreaterThanOrEqual(50);
      // The writers really overlapped: live events landed both before and after the import's.
      const opened = await openDatabase(db);
      const order = await sql<{ before: number; after: number }>`
        SELECT
          SUM(CASE WHEN id < (SELECT MIN(id) FROM audit_events WHERE source IS NOT NULL)
            THEN 1 ELSE 0 END) AS before,
          SUM(CASE WHEN id > (SELECT MAX(id) FROM audit_events WHERE source IS NOT NULL)
            THEN 1 ELSE 0 END) AS after
        FROM audit_events WHERE type = 'com.alaigned.rollout.template_saved'
      `.execute(opened.db);
      await opened.close();
      expect(Number(order.rows[0]!.before)).toBeGreaterThan(0);
      expect(Number(order.rows[0]!.after)).toBeGreaterThan(0);
      expect(facts.forks).toEqual([]);
      const verify = await runCliForTest(['audit', 'verify', '--db', db], '', shared.env);
      expect(verify.code, verify.stderr).toBe(0);
    } finally {
      await app.close();
    }
  }, 120_000);
});
