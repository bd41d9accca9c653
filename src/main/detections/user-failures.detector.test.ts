import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runDetector } from '../../../tests/support/detectors';
import { HOUR, history, MINUTE } from '../../../tests/support/history';
import { createTempApp, type TempApp } from '../../../tests/support/temp-app';
import userFailures from './user-failures.detector';

describe('user_failures detector', () => {
  let temp: TempApp;
  let now: number;
  beforeEach(async () => {
    temp = await createTempApp();
    now = temp.clock.now();
  });
  afterEach(() => temp.close());

  it('finds one run of failures in a row for a user, with its addresses', async () => {
    const h = history();
    for (let i = 0; i < 6; i++)
      h.fail(now - 2 * HOUR + i * 5 * MINUTE, 'victim', `203.0.113.${9 + (i % 2)}`);
    await h.writeTo(temp.app);
    const [finding, ...rest] = await runDetector(userFailures, temp.app, now);
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({
      severity: 'medium',
      users: ['victim@acme.test'],
      ips: ['203.0.113.10', '203.0.113.9'],
      count: 6,
      start: new Date(now - 2 * HOUR).toISOString(),
      end: new Date(now - 2 * HOUR + 25 * MINUTE).toISOString(),
      filter: { userId: 'victim', types: ['com.alaigned.auth.2fa.verify.failed'] },
    });
  });

  it('stays quiet below its threshold, and follows a lowered one', async () => {
    const h = history();
    for (let i = 0; i < 4; i++) h.fail(now - HOUR + i * MINUTE, 'almost', '198.51.100.4');
    await h.writeTo(temp.app);
    expect(await runDetector(userFailures, temp.app, now)).toEqual([]);
    expect(
      await runDetector(userFailures, temp.app, now, { minFailures: 4, windowMinutes: 10 }),
    ).toHaveLength(1);
  });

  it('is high at three times the threshold', async () => {
    const h = history();
    for (let i = 0; i < 15; i++) h.fail(now - 2 * HOUR + i * MINUTE, 'hammered', '198.51.100.7');
    await h.writeTo(temp.app);
    const [finding] = await runDetector(userFailures, temp.app, now);
    expect(finding).toMatchObject({ severity: 'high', count: 15 });
  });
});
