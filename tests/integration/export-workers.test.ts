import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportEvents } from '../../src/main/audit/export-events';
import type { ExportWorkers } from '../../src/main/audit/export-chunks';
import { engineName } from '../support/engine';
import { DAY, history } from '../support/history';
import { createTempApp, TEST_START, type TempApp } from '../support/temp-app';

const workerFile = path.resolve('out/cli/export-worker.js');

describe(`export formatted in worker threads (the built bundle, ${engineName})`, () => {
  let temp: TempApp;
  beforeAll(async () => {
    expect(fs.existsSync(workerFile), 'run npm run build first').toBe(true);
    temp = await createTempApp();
    const h = history();
    // 9,000 events over many chunks, with cells a spreadsheet would run and ones needing quotes.
    for (let i = 0; i < 9000; i++) {
      const user = i % 97 === 0 ? '=HYPERLINK("http://evil")' : `u${i % 13}`;
      if (i % 3 === 0) h.fail(TEST_START - 30 * DAY + i * 60_000, user, `198.51.100.${i % 250}`);
      else h.succeed(TEST_START - 30 * DAY + i * 60_000, user, `2001:db8::${i % 500}`);
    }
    await h.writeTo(temp.app);
  });
  afterAll(() => temp.close());

  async function exportWith(format: 'csv' | 'jsonl', workers: ExportWorkers | null) {
    const out = new PassThrough();
    const parts: Buffer[] = [];
    out.on('data', (chunk: Buffer) => parts.push(chunk));
    const progress: number[] = [];
    const { manifest } = await exportEvents(
      { db: temp.app.db, audit: temp.app.services.audit },
      {
        format,
        filters: { types: ['com.alaigned.auth.2fa.verify.failed'] },
        out,
        client: { ip: '127.0.0.1', userAgent: 'test' },
        actor: null,
        now: TEST_START,
        workers,
        onProgress: (n) => progress.push(n),
      },
    );
    return { text: Buffer.concat(parts).toString('utf8'), manifest, progress };
  }

  it('writes byte for byte what one thread writes, with the same manifest digest', async () => {
    const pooled: ExportWorkers = { workerFile, database: temp.dbPath, fromIds: 1 };
    for (const format of ['csv', 'jsonl'] as const) {
      const single = await exportWith(format, null);
      const parallel = await exportWith(format, pooled);
      expect(single.manifest.count).toBe(3000);
      // Only the failures are exported, so the audit records of earlier exports do not differ.
      expect(parallel.manifest.contentSha256).toBe(single.manifest.contentSha256);
      expect(parallel.text.split('\n').slice(0, -2)).toEqual(single.text.split('\n').slice(0, -2));
      expect(parallel.progress.at(-1)).toBe(3000);
    }
    const csv = (await exportWith('csv', pooled)).text;
    expect(csv).toContain(`,"'=HYPERLINK(""http://evil"")",`);
  });

  it('fails the export, naming the cause, when a worker cannot read the database', async () => {
    const broken: ExportWorkers = {
      workerFile,
      database: path.join(temp.dir, 'missing.sqlite'),
      fromIds: 1,
    };
    await expect(exportWith('csv', broken)).rejects.toThrow(/unable to open|missing|exit code/i);
  });
});
