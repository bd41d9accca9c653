import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runDetector } from '../../../tests/support/detectors';
import { HOUR, history, MINUTE } from '../../../tests/support/history';
import { createTempApp, type TempApp } from '../../../tests/support/temp-app';
import coordinated from './coordinated.detector';

describe('coordinated detector', () => {
  let temp: TempApp;
  let now: number;
  beforeEach(async () => {
    temp = await createTempApp();
    now = temp.clock.now();
  });
  afterEach(() => temp.close());

  it('finds a burst: 20 users failing within minutes from all over', async () => {
    const h = history();
    for (let i = 0; i < 20; i++) h.fail(now - 3 * HOUR + i * 10_000, `user${i}`, `${10 + i}.1.2.3`);
    await h.writeTo(temp.app);
    const findings = await runDetector(coordinated, temp.app, now);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      severity: 'medium',
      count: 20,
      filter: { unresolved: true },
    });
    expect(findings[0]!.users).toHaveLength(20);
  });

  it('finds a spray from one network, and stays quiet one user below its threshold', async () => {
    const h = history();
    for (let i = 0; i < 4; i++)
      h.fail(now - 2 * HOUR + i * 7 * MINUTE, `sprayed${i}`, '91.243.85.10');
    await h.writeTo(temp.app);
    expect(await runDetector(coordinated, temp.app, now)).toEqual([]);
    const findings = await runDetector(coordinated, temp.app, now, { sprayUsers: 4 });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ count: 4, filter: { ip: '91.243.85.0/24' } });
  });

  it('never counts typos: failures put right by the same user within minutes', async () => {
    const h = history();
    for (let i = 0; i < 25; i++) {
      h.fail(now - 3 * HOUR + i * 10_000, `typist${i}`, '91.243.85.10');
      h.succeed(now - 3 * HOUR + i * 10_000 + 30_000, `typist${i}`, '91.243.85.10');
    }
    await h.writeTo(temp.app);
    expect(await runDetector(coordinated, temp.app, now)).toEqual([]);
  });

  it('finds a slow spray across an hour boundary: 6 users, one try each, within 50 minutes', async () => {
    const h = history();
    // TEST_START is on the hour: three tries before it, three after, ten minutes apart.
    const hour = Math.floor(now / HOUR) * HOUR - 3 * HOUR;
    for (let i = 0; i < 6; i++)
      h.fail(hour - 25 * MINUTE + i * 10 * MINUTE, `slow${i}`, `91.243.85.${10 + i}`);
    await h.writeTo(temp.app);
    const [spray, ...rest] = await runDetector(coordinated, temp.app, now);
    expect(rest).toEqual([]);
    expect(spray).toMatchObject({ count: 6, filter: { ip: '91.243.85.0/24' } });
    expect(spray!.users).toHaveLength(6);
  });
});
