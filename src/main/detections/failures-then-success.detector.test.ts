import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditFilterInput } from '../../shared/contract';
import { runDetector } from '../../../tests/support/detectors';
import { DAY, history, MINUTE } from '../../../tests/support/history';
import { createTempApp, type TempApp } from '../../../tests/support/temp-app';
import failuresThenSuccess from './failures-then-success.detector';

describe('failures_then_success detector', () => {
  let temp: TempApp;
  let now: number;
  beforeEach(async () => {
    temp = await createTempApp();
    now = temp.clock.now();
  });
  afterEach(() => temp.close());

  const eventsOf = async (filter: AuditFilterInput) =>
    (await temp.app.analytics.run('page', { ...filter, limit: 1000 })).events;

  /** ana: a month of sign-ins from her office in Germany. */
  function established() {
    const h = history();
    h.routine('ana', '198.51.100.20', now - 30 * DAY, 28);
    h.locate('198.51.100.20', { country: 'DE', asn: 3320, latitude: 52.5, longitude: 13.4 });
    return h;
  }

  it('7 failures then a success from a country new to the user: high, with the numbers', async () => {
    const h = established();
    const start = now - 3 * 60 * MINUTE;
    for (let i = 0; i < 7; i++) h.fail(start + i * 2 * MINUTE, 'ana', '45.133.5.19');
    h.succeed(start + 12 * MINUTE, 'ana', '45.133.5.19');
    h.locate('45.133.5.19', { country: 'BR', asn: 13335 });
    await h.writeTo(temp.app);
    const [finding, ...rest] = await runDetector(failuresThenSuccess, temp.app, now);
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({
      severity: 'high',
      users: ['ana@acme.test'],
      ips: ['45.133.5.19'],
      count: 8,
      remedies: ['reset_two_factor'],
      why: '7 failed codes then a success within 12 minutes, the success from AS13335 in Brazil, never seen for this user.',
    });
    const events = await eventsOf(finding!.filter);
    expect(events).toHaveLength(8);
    expect(events.filter((e) => e.type.endsWith('verify.failed'))).toHaveLength(7);
  });

  it('a success from a new network in a known country is high too; from her own network, medium', async () => {
    const h = established();
    for (let i = 0; i < 3; i++) h.fail(now - 5 * DAY + i * MINUTE, 'ana', '203.0.113.9');
    h.succeed(now - 5 * DAY + 4 * MINUTE, 'ana', '203.0.113.9');
    h.locate('203.0.113.9', { country: 'DE', asn: 3209 });
    for (let i = 0; i < 3; i++) h.fail(now - 2 * DAY + i * MINUTE, 'ana', '198.51.100.20');
    h.succeed(now - 2 * DAY + 5 * MINUTE, 'ana', '198.51.100.20');
    await h.writeTo(temp.app);
    const findings = await runDetector(failuresThenSuccess, temp.app, now);
    expect(findings.map((f) => [f.severity, f.count, f.ips])).toEqual([
      ['high', 4, ['203.0.113.9']],
      ['medium', 4, ['198.51.100.20']],
    ]);
    expect(findings[0]!.why).toContain('203.0.113.0/24 in Germany, a network new for this user');
  });

  it('stays quiet for typos (one or two failures), runs longer than the window, and a success between', async () => {
    const h = established();
    // Typos: one, then two wrong codes before the right one.
    h.fail(now - 6 * DAY, 'ana', '198.51.100.20');
    h.succeed(now - 6 * DAY + MINUTE, 'ana', '198.51.100.20');
    h.fail(now - 5 * DAY, 'ana', '198.51.100.20');
    h.fail(now - 5 * DAY + MINUTE, 'ana', '198.51.100.20');
    h.succeed(now - 5 * DAY + 2 * MINUTE, 'ana', '198.51.100.20');
    // Three failures and the success spread over 25 minutes.
    for (let i = 0; i < 3; i++) h.fail(now - 4 * DAY + i * 10 * MINUTE, 'ana', '45.133.5.19');
    h.succeed(now - 4 * DAY + 25 * MINUTE, 'ana', '45.133.5.19');
    // Two failures, a success, two failures, a success: typos, not a run of four.
    h.fail(now - 3 * DAY, 'ana', '198.51.100.20');
    h.fail(now - 3 * DAY + MINUTE, 'ana', '198.51.100.20');
    h.succeed(now - 3 * DAY + 2 * MINUTE, 'ana', '198.51.100.20');
    h.fail(now - 3 * DAY + 3 * MINUTE, 'ana', '198.51.100.20');
    h.fail(now - 3 * DAY + 4 * MINUTE, 'ana', '198.51.100.20');
    h.succeed(now - 3 * DAY + 5 * MINUTE, 'ana', '198.51.100.20');
    // Failures with no success after them are user_failures' business.
    for (let i = 0; i < 6; i++) h.fail(now - DAY + i * MINUTE, 'ana', '45.133.5.19');
    h.locate('45.133.5.19', { country: 'BR', asn: 13335 });
    await h.writeTo(temp.app);
    expect(await runDetector(failuresThenSuccess, temp.app, now)).toEqual([]);
    // The 25-minute run is found once the window allows it.
    expect(
      await runDetector(failuresThenSuccess, temp.app, now, { windowMinutes: 30 }),
    ).toHaveLength(1);
  });

  it('a success from a trusted network, or for a user with no earlier success, is medium', async () => {
    const h = established();
    for (let i = 0; i < 4; i++) h.fail(now - 2 * DAY + i * MINUTE, 'ana', '93.184.216.10');
    h.succeed(now - 2 * DAY + 5 * MINUTE, 'ana', '93.184.216.10');
    h.locate('93.184.216.10', { country: 'US', asn: 15133 });
    for (let i = 0; i < 3; i++) h.fail(now - DAY + i * MINUTE, 'newbie', '45.133.5.19');
    h.succeed(now - DAY + 4 * MINUTE, 'newbie', '45.133.5.19');
    h.locate('45.133.5.19', { country: 'BR', asn: 13335 });
    await h.writeTo(temp.app);
    const vpn = { isTrusted: (_ip: string | null, asn: number | null) => asn === 15133 };
    const findings = await runDetector(failuresThenSuccess, temp.app, now, {}, vpn);
    expect(findings.map((f) => [f.users[0], f.severity])).toEqual([
      ['ana@acme.test', 'medium'],
      ['newbie@acme.test', 'medium'],
    ]);
    expect(findings[0]!.why).toContain('trusted network');
    expect(findings[1]!.why).toContain('first success');
    // Untrusted, ana's success from the US is from a country new to her.
    const untrusted = await runDetector(failuresThenSuccess, temp.app, now);
    expect(untrusted[0]).toMatchObject({ severity: 'high', count: 5 });
  });
});
