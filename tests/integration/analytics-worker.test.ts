import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/main/app';
import { manualClock } from '../../src/main/clock';
import { silentLogger } from '../../src/main/logger';
import { DomainError } from '../../src/main/domain-error';
import { defaultPatternSettings } from '../../src/main/detections/registry';
import { history, HOUR } from '../support/history';
import { makeTempDir, TEST_START } from '../support/temp-app';

const workerFile = path.resolve('out/cli/analytics-worker.js');

describe('analytics in a worker thread (the built bundle)', () => {
  const temp = makeTempDir();
  let inProcess: App;
  let inWorker: App;
  beforeAll(async () => {
    expect(fs.existsSync(workerFile), 'run npm run build first').toBe(true);
    const dbPath = path.join(temp.dir, 'w.sqlite');
    inProcess = await createApp({
      dbPath,
      clock: manualClock(TEST_START),
      logger: silentLogger,
      analyticsWorkerFile: null,
    });
    const h = history();
    for (let i = 0; i < 7; i++) h.fail(TEST_START - HOUR + i * 60_000, 'victim', '203.0.113.9');
    await h.writeTo(inProcess);
    inWorker = await createApp({
      dbPath,
      clock: manualClock(TEST_START),
      logger: silentLogger,
      analyticsWorkerFile: workerFile,
    });
  });
  afterAll(async () => {
    await inWorker.close();
    await inProcess.close();
    temp.cleanup();
  });

  it('runs there, with the same answers as in-process', async () => {
    expect(inWorker.analytics.where).toBe('worker');
    expect(inProcess.analytics.where).toBe('in-process');
    const args = [{}, TEST_START, defaultPatternSettings] as const;
    const fromWorker = await inWorker.analytics.run('patterns', ...args);
    expect(fromWorker.findings.map((f) => f.kind)).toEqual(['user_failures']);
    expect(fromWorker).toEqual(await inProcess.analytics.run('patterns', ...args));
    expect(await inWorker.analytics.run('page', { limit: 3 })).toEqual(
      await inProcess.analytics.run('page', { limit: 3 }),
    );
  });

  it('brings domain errors back as such', async () => {
    const attempt = inWorker.analytics.run('page', { cursor: 'not-a-cursor' });
    await expect(attempt).rejects.toBeInstanceOf(DomainError);
    await expect(attempt).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});
