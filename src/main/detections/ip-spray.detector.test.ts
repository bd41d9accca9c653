import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runDetector } from '../../../tests/support/detectors';
import { DAY, history, HOUR, MINUTE } from '../../../tests/support/history';
import { createTempApp, type TempApp } from '../../../tests/support/temp-app';
import ipSpray, { reachesMeanPlus } from './ip-spray.detector';

const ATTACKER = '91.243.85.7';
const NAT = '198.51.100.1';

describe('ip_spray detector', () => {
  let temp: TempApp;
  let now: number;
  beforeEach(async () => {
    temp = await createTempApp();
    now = temp.clock.now();
  });
  afterEach(() => temp.close());

  /** `users` users failing once each from `ip`, `gapMs` apart, from `fromTs`. */
  const spray = (
    h: ReturnType<typeof history>,
    ip: string,
    fromTs: number,
    users: number,
    gapMs: number,
    prefix = 'sprayed',
  ) => {
    for (let i = 0; i < users; i++) h.fail(fromTs + i * gapMs, `${prefix}${i}`, ip);
  };

  it('finds 11 users failing from a new address within minutes; 10 stay quiet', async () => {
    const h = history();
    spray(h, ATTACKER, now - 3 * HOUR, 11, 15_000);
    await h.writeTo(temp.app);
    const findings = await runDetector(ipSpray, temp.app, now);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      severity: 'medium',
      count: 11,
      ips: [ATTACKER],
      filter: { ip: ATTACKER, unresolved: true, types: ['com.alaigned.auth.2fa.verify.failed'] },
    });
    expect(findings[0]!.users).toHaveLength(11);
    expect(findings[0]!.why).toMatch(
      /11 users failed to verify from 91\.243\.85\.7 within 3 minutes/,
    );
    expect(findings[0]!.why).toMatch(
      /up to 11 in 5 minutes \(more than 10\), from an address with no other such failures/,
    );

    const below = await createTempApp();
    try {
      const quiet = history();
      spray(quiet, ATTACKER, now - 3 * HOUR, 10, 15_000);
      await quiet.writeTo(below.app);
      expect(await runDetector(ipSpray, below.app, now)).toEqual([]);
    } finally {
      await below.close();
    }
  });

  it('catches a spray across a 5-minute boundary (the shifted grid)', async () => {
    const h = history();
    // 12 users in 2 minutes around a multiple of 5 minutes: 6 on each side of the boundary.
    const boundary = Math.floor((now - 2 * HOUR) / (5 * MINUTE)) * 5 * MINUTE;
    spray(h, ATTACKER, boundary - 60_000, 12, 10_000);
    await h.writeTo(temp.app);
    const findings = await runDetector(ipSpray, temp.app, now);
    expect(findings).toHaveLength(1);
    expect(findings[0]!.count).toBe(12);
  });

  it('stays quiet on an office NAT where many users make ordinary typos over the day', async () => {
    const h = history();
    for (let day = 1; day <= 5; day++)
      for (let i = 0; i < 60; i++) {
        const ts = now - day * DAY + 8 * HOUR + i * 8 * MINUTE;
        // A wrong code, put right a few seconds later: a typo.
        h.fail(ts, `staff${i}`, NAT);
        h.succeed(ts + 20_000, `staff${i}`, NAT);
        // A burst of typos at the start of the day: still typos.
        if (i < 15) {
          h.fail(now - day * DAY + 8 * HOUR - 3 * MINUTE + i * 5_000, `early${i}`, NAT);
          h.succeed(now - day * DAY + 8 * HOUR - 3 * MINUTE + i * 5_000 + 30_000, `early${i}`, NAT);
        }
      }
    await h.writeTo(temp.app);
    expect(await runDetector(ipSpray, temp.app, now)).toEqual([]);
  });

  it('measures a busy NAT against its own usual: fires only at or above mean + 3σ', async () => {
    // Forty 5-minute periods with 14 or 16 users each giving up on a code (mean 15, σ 1).
    const h = history();
    const base = now - 10 * DAY;
    for (let bin = 0; bin < 40; bin++)
      spray(h, NAT, base + bin * HOUR, bin % 2 === 0 ? 14 : 16, 10_000, `b${bin}u`);
    const busy = now - 2 * DAY;
    spray(h, NAT, busy, 17, 10_000, 'busy');
    await h.writeTo(temp.app);
    // 17 users is above the count but within the NAT's usual spread: quiet.
    expect(await runDetector(ipSpray, temp.app, now)).toEqual([]);

    // 30 users in one period is far above it.
    const more = history();
    spray(more, NAT, now - DAY, 30, 8_000, 'burst');
    await more.writeTo(temp.app);
    const findings = await runDetector(ipSpray, temp.app, now);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ severity: 'high', count: 30, ips: [NAT] });
    expect(findings[0]!.why).toMatch(
      /up to 30 in 5 minutes \(more than 10\), \d+(\.\d)?σ above that address's usual 15\.\d users per 5 minutes over its 42 periods with failures \(at least 3σ: \d+(\.\d)?\)/,
    );
  });

  it('finds a slow spray: one try per account per hour, under the 5-minute count', async () => {
    const h = history();
    // 30 accounts, each tried once an hour for 4 hours: one failure every 2 minutes.
    for (let hour = 0; hour < 4; hour++)
      spray(h, ATTACKER, now - 10 * HOUR + hour * HOUR, 30, 2 * MINUTE);
    await h.writeTo(temp.app);
    const findings = await runDetector(ipSpray, temp.app, now);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ severity: 'high', count: 120 });
    expect(findings[0]!.users).toHaveLength(30);
    expect(findings[0]!.why).toMatch(
      /30 users failed to verify from 91\.243\.85\.7 within 238 minutes, up to 30 in 60 minutes \(more than 10\), as in each of that address's 4 periods with failures: a steady 30 users per 60 minutes/,
    );
    // 30 accounts an hour is not more than 30: just below a slow count of 30, quiet.
    expect(await runDetector(ipSpray, temp.app, now, { slowUsers: 30 })).toEqual([]);
    expect(await runDetector(ipSpray, temp.app, now, { slowUsers: 29 })).toHaveLength(1);
  });

  it('tests the statistics exactly: x ≥ mean + kσ, one lone bin reaching it', () => {
    const bin = (users: number, bins: number, usersSum: number, usersSquares: number) => ({
      scale: 0,
      ipKey: 'k',
      ip: 'x',
      firstTs: 0,
      lastTs: 0,
      users,
      bins,
      usersSum,
      usersSquares,
    });
    expect(reachesMeanPlus(bin(11, 1, 11, 121), 3).reaches).toBe(true);
    // Bins 1, 1, 1, 11: mean 3.5, σ ≈ 4.33, mean + 3σ ≈ 16.5.
    const four = reachesMeanPlus(bin(11, 4, 14, 124), 3);
    expect(four.reaches).toBe(false);
    expect(four.bound).toBeCloseTo(3.5 + 3 * Math.sqrt(18.75), 6);
    expect(reachesMeanPlus(bin(11, 4, 14, 124), 1).reaches).toBe(true);
  });
});
