import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runDetector } from '../../../tests/support/detectors';
import { DAY, history, HOUR, MINUTE } from '../../../tests/support/history';
import { createTempApp, type TempApp } from '../../../tests/support/temp-app';
import novelAsn from './novel-asn.detector';

describe('novel_asn detector', () => {
  let temp: TempApp;
  let now: number;
  beforeEach(async () => {
    temp = await createTempApp();
    now = temp.clock.now();
  });
  afterEach(() => temp.close());

  /** An org of three, a month of sign-ins from one German provider. */
  function org(h = history(), days = 30) {
    for (const user of ['ana', 'ben', 'cy'])
      h.routine(user, '198.51.100.20', now - days * DAY, days);
    h.locate('198.51.100.20', { country: 'DE', asn: 3320 });
    return h;
  }

  it('failures by two users then a success from a system new to the org: one medium finding, up to the success', async () => {
    const h = org();
    h.fail(now - 3 * HOUR, 'ana', '45.133.5.19');
    h.fail(now - 3 * HOUR + MINUTE, 'ben', '45.133.5.20');
    h.succeed(now - 3 * HOUR + 2 * MINUTE, 'ben', '45.133.5.20');
    // After the first success the system is no longer novel.
    h.fail(now - HOUR, 'cy', '45.133.5.21');
    for (const ip of ['45.133.5.19', '45.133.5.20', '45.133.5.21'])
      h.locate(ip, { country: 'BR', asn: 13335 });
    await h.writeTo(temp.app);
    const [finding, ...rest] = await runDetector(novelAsn, temp.app, now);
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({
      severity: 'medium',
      users: ['ana@acme.test', 'ben@acme.test'],
      ips: ['45.133.5.19', '45.133.5.20'],
      countries: ['BR'],
      asns: [13335],
      count: 3,
      why: "3 verifications (2 failed) by 2 users from AS13335 (Brazil), an autonomous system none of the org's successful verifications came from in 90 days.",
      filter: { ip: '45.133.5.0/24' },
    });
    const page = await temp.app.analytics.run('page', { ...finding!.filter, limit: 100 });
    expect(page.events).toHaveLength(3);
  });

  it('only failures is low; a system the org succeeded from in the lookback, trusted or internal is not novel', async () => {
    const h = org(history(), 120);
    h.fail(now - 2 * HOUR, 'ana', '91.243.85.10');
    h.locate('91.243.85.10', { country: 'RU', asn: 49505 });
    // Another user succeeded from AS3209 just before the period (within 90 days of the
    // failure), from another network of it.
    h.succeed(now - 90 * DAY - 30 * MINUTE, 'ben', '93.184.216.10');
    h.fail(now - HOUR, 'cy', '93.184.217.10');
    h.locate('93.184.216.10', { country: 'DE', asn: 3209 });
    h.locate('93.184.217.10', { country: 'DE', asn: 3209 });
    // The org's VPN provider, and an internal address.
    h.succeed(now - HOUR, 'ana', '185.10.10.10');
    h.locate('185.10.10.10', { country: 'NL', asn: 64512 });
    h.succeed(now - HOUR, 'ben', '10.1.2.3');
    h.locate('10.1.2.3', { internal: true, asn: 64513 });
    await h.writeTo(temp.app);
    const vpn = { isTrusted: (_ip: string | null, asn: number | null) => asn === 64512 };
    const findings = await runDetector(novelAsn, temp.app, now, {}, vpn);
    expect(findings.map((f) => [f.asns, f.severity, f.count])).toEqual([[[49505], 'low', 1]]);
    // With a shorter lookback, AS3209's success of 90 days ago no longer counts.
    const short = await runDetector(novelAsn, temp.app, now, { lookbackDays: 30 }, vpn);
    expect(short.map((f) => f.asns?.[0]).sort()).toEqual([3209, 49505]);
  });

  it("stays quiet in the org's first two weeks, when every system is new", async () => {
    const h = org(history(), 10);
    h.succeed(now - HOUR, 'ana', '45.133.5.19');
    h.locate('45.133.5.19', { country: 'BR', asn: 13335 });
    await h.writeTo(temp.app);
    expect(await runDetector(novelAsn, temp.app, now)).toEqual([]);
    expect(await runDetector(novelAsn, temp.app, now, { baselineDays: 7 })).toHaveLength(1);
  });
});
