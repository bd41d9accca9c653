import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runDetector } from '../../../tests/support/detectors';
import { DAY, history, HOUR, MINUTE } from '../../../tests/support/history';
import { createTempApp, type TempApp } from '../../../tests/support/temp-app';
import distributedSpray from './distributed-spray.detector';

describe('distributed_spray detector', () => {
  let temp: TempApp;
  let now: number;
  beforeEach(async () => {
    temp = await createTempApp();
    now = temp.clock.now();
  });
  afterEach(() => temp.close());

  /** `n` users failing within minutes, user i from address i (one pair each). */
  const spread = (
    h: ReturnType<typeof history>,
    fromTs: number,
    users: number,
    addresses = users,
  ) => {
    for (let i = 0; i < users; i++)
      h.fail(
        fromTs + i * 5_000,
        `target${i}`,
        `203.0.${Math.floor((i % addresses) / 200)}.${(i % addresses) % 200}`,
      );
  };

  it('finds 21 users failing from 21 addresses within minutes', async () => {
    const h = history();
    spread(h, now - 3 * HOUR, 21);
    await h.writeTo(temp.app);
    const findings = await runDetector(distributedSpray, temp.app, now);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      severity: 'medium',
      count: 21,
      filter: { unresolved: true, types: ['com.alaigned.auth.2fa.verify.failed'] },
    });
    expect(findings[0]!.users).toHaveLength(21);
    expect(findings[0]!.ips).toHaveLength(21);
    expect(findings[0]!.why).toMatch(
      /21 users failed to verify from 21 addresses within 2 minutes, up to 21 users, 21 addresses and 21 user-address pairs in 5 minutes/,
    );
  });

  it('stays quiet at 20 users, at 20 addresses, and at 20 pairs', async () => {
    const h = history();
    // 20 users from 20 addresses.
    spread(h, now - 30 * HOUR, 20);
    // 30 users from 20 addresses (30 pairs, but only 20 addresses).
    spread(h, now - 20 * HOUR, 30, 20);
    await h.writeTo(temp.app);
    expect(await runDetector(distributedSpray, temp.app, now)).toEqual([]);
    // 20 pairs: 21 users and 21 addresses need 21 pairs, so the pairs threshold is checked on its own.
    expect(await runDetector(distributedSpray, temp.app, now, { pairs: 30 })).toEqual([]);
    expect(await runDetector(distributedSpray, temp.app, now, { addresses: 19 })).toHaveLength(1);
  });

  it('never counts typos, and not failures spread over the day', async () => {
    const h = history();
    for (let i = 0; i < 40; i++) {
      h.fail(now - 2 * HOUR + i * 5_000, `typist${i}`, `198.18.0.${i}`);
      h.succeed(now - 2 * HOUR + i * 5_000 + 30_000, `typist${i}`, `198.18.0.${i}`);
      h.fail(now - DAY + i * 10 * MINUTE, `tired${i}`, `198.18.1.${i}`);
    }
    await h.writeTo(temp.app);
    expect(await runDetector(distributedSpray, temp.app, now)).toEqual([]);
  });
});
