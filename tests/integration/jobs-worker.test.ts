import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/main/app';
import type { JobContext, JobProgress } from '../../src/main/jobs/jobs';
import { manualClock } from '../../src/main/clock';
import { DomainError } from '../../src/main/domain-error';
import { silentLogger } from '../../src/main/logger';
import { FAILED } from '../support/history';
import { makeTempDir, TEST_START } from '../support/temp-app';

const workerFile = path.resolve('out/cli/jobs-worker.js');

const context: JobContext = {
  client: { ip: '127.0.0.1', userAgent: 'jobs-worker test' },
  actor: null,
  now: TEST_START,
};

function eventLines(n: number, from = 0): string {
  return (
    Array.from({ length: n }, (_, k) => {
      const i = from + k;
      return JSON.stringify({
        type: FAILED,
        timestamp: new Date(TEST_START - 86_400_000 + i * 1000).toISOString(),
        userId: `u${i % 7}`,
        email: `u${i % 7}@acme.test`,
        ip: `198.51.100.${i % 200}`,
        userAgent: 'vpn-gateway',
        method: 'totp',
        details: { n: i },
      });
    }).join('\n') + '\n'
  );
}

describe('import, export and verify in a worker thread (the built bundle)', () => {
  const temp = makeTempDir();
  let inWorker: App;
  let inProcess: App;
  const file = (name: string) => path.join(temp.dir, name);

  beforeAll(async () => {
    expect(fs.existsSync(workerFile), 'run npm run build first').toBe(true);
    const open = (name: string, jobsWorkerFile: string | null) =>
      createApp({
        dbPath: file(name),
        clock: manualClock(TEST_START),
        logger: silentLogger,
        jobsWorkerFile,
      });
    inWorker = await open('worker.sqlite', workerFile);
    inProcess = await open('in-process.sqlite', null);
    fs.writeFileSync(file('events.jsonl'), eventLines(2500));
  });
  afterAll(async () => {
    await inWorker.close();
    await inProcess.close();
    temp.cleanup();
  });

  async function run(app: App, spec: Parameters<App['transfers']['jobs']['start']>[0]) {
    const progress: JobProgress[] = [];
    const result = await app.transfers.jobs.start(spec, context, (p) => progress.push(p)).result;
    return { result, progress };
  }

  it('imports there with progress, and gives the same counts as in-process', async () => {
    expect(inWorker.transfers.jobs.where).toBe('worker');
    expect(inProcess.transfers.jobs.where).toBe('in-process');
    const spec = {
      kind: 'import',
      file: file('events.jsonl'),
      displayName: 'events.jsonl',
      skipInvalid: false,
    } as const;
    const fromWorker = await run(inWorker, spec);
    expect(fromWorker.result).toEqual(await run(inProcess, spec).then((r) => r.result));
    expect(fromWorker.result).toMatchObject({ kind: 'import', result: { imported: 2500 } });
    expect(fromWorker.progress.length).toBeGreaterThan(0);
    // The worker wrote through its own connection: the app's own reader sees the events.
    const page = await inWorker.analytics.run('page', { limit: 1, types: [FAILED] });
    expect(page.events).toHaveLength(1);
  });

  it('exports and verifies there', async () => {
    const out = file('export.csv');
    const exported = await run(inWorker, { kind: 'export', format: 'csv', filters: {}, out });
    expect(exported.result).toMatchObject({ kind: 'export', manifest: { format: 'csv' } });
    const rows = fs.readFileSync(out, 'utf8').trim().split('\r\n');
    // A header, the 2,500 imported events and the audit record of the import itself.
    expect(rows.length).toBeGreaterThanOrEqual(2501);
    const verified = await run(inWorker, { kind: 'verify' });
    expect(verified.result).toMatchObject({ kind: 'verify', result: { ok: true } });
  });

  it('brings a refusal back as a domain error, and imports nothing', async () => {
    fs.writeFileSync(file('bad.jsonl'), eventLines(10, 10_000) + '{"type": 3}\n');
    const before = await run(inWorker, { kind: 'verify' });
    const attempt = run(inWorker, {
      kind: 'import',
      file: file('bad.jsonl'),
      displayName: 'bad.jsonl',
      skipInvalid: false,
    });
    await expect(attempt).rejects.toBeInstanceOf(DomainError);
    await expect(attempt).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    const after = await run(inWorker, { kind: 'verify' });
    expect(after.result).toEqual(before.result);
  });

  it('cancels a running import and rolls it back', async () => {
    fs.writeFileSync(file('big.jsonl'), eventLines(60_000, 20_000));
    const before = await run(inWorker, { kind: 'verify' });
    const job = inWorker.transfers.jobs.start(
      { kind: 'import', file: file('big.jsonl'), displayName: 'big.jsonl', skipInvalid: false },
      context,
      () => job.cancel(),
    );
    await expect(job.result).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/cancelled/),
    });
    const after = await run(inWorker, { kind: 'verify' });
    expect(after.result).toEqual(before.result);
  });
});
