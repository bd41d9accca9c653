import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Finding } from '../../src/shared/contract';
import { defaultPatternSettings } from '../../src/main/detections/registry';
import { createTempApp, type TempApp } from '../support/temp-app';
import { DAY, history, HOUR, MINUTE } from '../support/history';

describe('failed-attempt patterns on crafted histories', () => {
  let temp: TempApp;
  let now: number;
  beforeEach(async () => {
    temp = await createTempApp();
    now = temp.clock.now();
  });
  afterEach(() => temp.close());

  const findings = async (kind?: Finding['kind']) => {
    const result = await temp.app.analytics.run('patterns', {}, now, defaultPatternSettings);
    return result.findings.filter((f) => !kind || f.kind === kind);
  };
  /** The audit page, run with a finding's own filter, must list exactly its events. */
  const eventsOf = async (finding: Finding) =>
    (await temp.app.analytics.run('page', { ...finding.filter, limit: 1000 })).events;

  describe('user_failures', () => {
    it('fires for 5 failures within an hour with no success between, and links to exactly them', async () => {
      const h = history();
      for (let i = 0; i < 6; i++) h.fail(now - 2 * HOUR + i * 5 * MINUTE, 'victim', '203.0.113.9');
      await h.writeTo(temp.app);
      const [finding, ...rest] = await findings('user_failures');
      expect(rest).toEqual([]);
      expect(finding).toMatchObject({
        kind: 'user_failures',
        users: ['victim@acme.test'],
        ips: ['203.0.113.9'],
        count: 6,
        severity: 'medium',
      });
      expect(finding!.start).toBe(new Date(now - 2 * HOUR).toISOString());
      const events = await eventsOf(finding!);
      expect(events).toHaveLength(6);
      expect(new Set(events.map((e) => e.type))).toEqual(
        new Set(['com.alaigned.auth.2fa.verify.failed']),
      );
    });

    it('does not fire for typos: failures each followed by a success', async () => {
      const h = history();
      for (let i = 0; i < 10; i++) {
        h.fail(now - 5 * HOUR + i * 10 * MINUTE, 'typist', '198.51.100.4');
        h.succeed(now - 5 * HOUR + i * 10 * MINUTE + 30_000, 'typist', '198.51.100.4');
      }
      await h.writeTo(temp.app);
      expect(await findings('user_failures')).toEqual([]);
    });

    it('does not fire for 4 failures, nor for 5 spread over more than the window', async () => {
      const h = history();
      for (let i = 0; i < 4; i++) h.fail(now - HOUR + i * MINUTE, 'almost', '198.51.100.4');
      for (let i = 0; i < 5; i++) h.fail(now - 10 * HOUR + i * 20 * MINUTE, 'slow', '198.51.100.5');
      await h.writeTo(temp.app);
      expect(await findings('user_failures')).toEqual([]);
    });

    it('a success splits failures into separate runs, each judged on its own', async () => {
      const h = history();
      for (let i = 0; i < 3; i++) h.fail(now - 3 * HOUR + i * MINUTE, 'split', '198.51.100.6');
      h.succeed(now - 3 * HOUR + 5 * MINUTE, 'split', '198.51.100.6');
      for (let i = 0; i < 3; i++)
        h.fail(now - 3 * HOUR + (6 + i) * MINUTE, 'split', '198.51.100.6');
      await h.writeTo(temp.app);
      expect(await findings('user_failures')).toEqual([]);
    });
  });

  describe('new_network', () => {
    it('fires for a network never seen for an established user, failures only: high', async () => {
      const h = history();
      h.routine('ana', '198.51.100.20', now - 30 * DAY, 25);
      h.fail(now - 2 * HOUR, 'ana', '45.133.5.19');
      h.fail(now - HOUR, 'ana', '45.133.5.20');
      await h.writeTo(temp.app);
      const [finding, ...rest] = await findings('new_network');
      expect(rest).toEqual([]);
      expect(finding).toMatchObject({
        users: ['ana@acme.test'],
        ips: ['45.133.5.19', '45.133.5.20'],
        count: 2,
        severity: 'high',
      });
      expect(finding!.title).toContain('45.133.5.0/24');
      expect(await eventsOf(finding!)).toHaveLength(2);
    });

    it('is low when the person then succeeds from there (travelling)', async () => {
      const h = history();
      h.routine('ben', '198.51.100.21', now - 30 * DAY, 25);
      // A colleague at home on the same ISP: its autonomous system is not new to the org.
      h.routine('cleo', '2a02:8108:1::9', now - 30 * DAY, 25);
      h.succeed(now - HOUR, 'ben', '2a02:8108:77::5');
      await h.writeTo(temp.app);
      const [finding] = await findings('new_network');
      expect(finding).toMatchObject({ users: ['ben@acme.test'], severity: 'low', count: 1 });
      expect(finding!.title).toContain('2a02:8108:77::/48');
    });

    it('does not fire for a user’s first sign-ins, nor without a week of history, nor for a known network', async () => {
      const h = history();
      // Brand new user: first ever verifications come from two networks.
      h.succeed(now - 2 * DAY, 'newbie', '198.51.100.30');
      h.succeed(now - DAY, 'newbie', '203.0.113.30');
      // Three days of history only (less than a week's span).
      h.routine('short', '198.51.100.31', now - 4 * DAY, 3);
      h.succeed(now - HOUR, 'short', '203.0.113.31');
      // Established user from a known network, another address in it.
      h.routine('regular', '198.51.100.32', now - 30 * DAY, 25);
      h.fail(now - HOUR, 'regular', '198.51.100.99');
      await h.writeTo(temp.app);
      expect(await findings('new_network')).toEqual([]);
    });

    it('a network last seen more than 90 days ago counts as new again', async () => {
      const h = history();
      h.succeed(now - 120 * DAY, 'old', '85.214.7.40');
      h.routine('old', '198.51.100.40', now - 30 * DAY, 25);
      h.fail(now - HOUR, 'old', '85.214.7.41');
      await h.writeTo(temp.app);
      expect(await findings('new_network')).toHaveLength(1);
    });
  });

  describe('coordinated', () => {
    it('fires for 20 users failing within minutes from addresses all over, listing the addresses', async () => {
      const h = history();
      for (let i = 0; i < 24; i++)
        h.fail(now - 3 * HOUR + i * 10_000, `user${i}`, `${10 + i}.1.2.3`);
      await h.writeTo(temp.app);
      // Over 20 users and 20 addresses in 5 minutes is the narrower distributed_spray, which
      // supersedes the burst: the attack is reported once, by it, and only by it.
      expect((await findings()).map((f) => f.kind)).toEqual(['distributed_spray']);
      const spray = await findings('distributed_spray');
      expect(spray).toHaveLength(1);
      expect(spray[0]).toMatchObject({ count: 24, severity: 'medium' });
      expect(spray[0]!.users).toHaveLength(24);
      expect(spray[0]!.ips).toHaveLength(24);
      expect(await eventsOf(spray[0]!)).toHaveLength(24);
    });

    it('catches a burst that straddles a 10-minute boundary', async () => {
      const h = history();
      const boundary = Math.floor((now - 3 * HOUR) / (10 * MINUTE)) * 10 * MINUTE;
      for (let i = 0; i < 20; i++)
        h.fail(boundary - 2 * MINUTE + i * 12_000, `edge${i}`, `${20 + i}.5.6.7`);
      await h.writeTo(temp.app);
      expect(await findings('coordinated')).toHaveLength(1);
    });

    it('fires for a spray: 5 users failing from one network within an hour, reported once', async () => {
      const h = history();
      for (let i = 0; i < 6; i++)
        h.fail(now - 2 * HOUR + i * 7 * MINUTE, `sprayed${i}`, `91.243.85.${10 + (i % 3)}`);
      await h.writeTo(temp.app);
      const coordinated = await findings('coordinated');
      expect(coordinated).toHaveLength(1);
      expect(coordinated[0]).toMatchObject({
        count: 6,
        ips: ['91.243.85.10', '91.243.85.11', '91.243.85.12'],
      });
      expect(coordinated[0]!.title).toContain('91.243.85.0/24');
      expect(await eventsOf(coordinated[0]!)).toHaveLength(6);
    });

    it('does not fire for an ordinary day of scattered typos across a large org', async () => {
      const h = history();
      // 300 typos spread over a day, each from the user's own network, each followed by success.
      for (let i = 0; i < 300; i++) {
        const ts = now - DAY + i * 4 * MINUTE + (i % 7) * 1000;
        h.fail(ts, `person${i}`, `100.${i % 250}.${i % 7}.1`);
        h.succeed(ts + 30_000, `person${i}`, `100.${i % 250}.${i % 7}.1`);
      }
      await h.writeTo(temp.app);
      expect(await findings()).toEqual([]);
    });
  });

  it('respects changed thresholds', async () => {
    const h = history();
    for (let i = 0; i < 3; i++) h.fail(now - HOUR + i * MINUTE, 'three', '198.51.100.50');
    await h.writeTo(temp.app);
    expect(await findings('user_failures')).toEqual([]);
    const strict = {
      ...defaultPatternSettings,
      userFailures: { minFailures: 3, windowMinutes: 10 },
    };
    const result = await temp.app.analytics.run('patterns', {}, now, strict);
    expect(result.findings.map((f) => f.kind)).toEqual(['user_failures']);
  });
});
