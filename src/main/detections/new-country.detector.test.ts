import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runDetector } from '../../../tests/support/detectors';
import { DAY, history, HOUR, MINUTE } from '../../../tests/support/history';
import { createTempApp, type TempApp } from '../../../tests/support/temp-app';
import newCountry from './new-country.detector';

describe('new_country detector', () => {
  let temp: TempApp;
  let now: number;
  beforeEach(async () => {
    temp = await createTempApp();
    now = temp.clock.now();
  });
  afterEach(() => temp.close());

  /** `user`: four weeks of sign-ins from Germany. */
  function established(user = 'ana', h = history()) {
    h.routine(user, '198.51.100.20', now - 30 * DAY, 28);
    h.locate('198.51.100.20', { country: 'DE', asn: 3320 });
    return h;
  }

  it('a failure then a success from Brazil for an established user: medium, with the numbers, linking to exactly them', async () => {
    const h = established();
    h.fail(now - 2 * HOUR, 'ana', '45.133.5.19');
    h.succeed(now - 2 * HOUR + MINUTE, 'ana', '45.133.5.19');
    h.locate('45.133.5.19', { country: 'BR', asn: 13335 });
    await h.writeTo(temp.app);
    const [finding, ...rest] = await runDetector(newCountry, temp.app, now);
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({
      severity: 'medium',
      users: ['ana@acme.test'],
      ips: ['45.133.5.19'],
      countries: ['BR'],
      asns: [13335],
      count: 2,
      why: '2 verifications (1 failed) from AS13335 in Brazil, a country ana@acme.test has not succeeded from in 90 days.',
      filter: { userId: 'ana', ip: '45.133.5.19' },
    });
    const events = await temp.app.analytics.run('page', { ...finding!.filter, limit: 100 });
    expect(events.events).toHaveLength(2);
  });

  it('only failures from a new country is high; one finding per country, later events from it once familiar are not', async () => {
    const h = established();
    h.fail(now - 3 * DAY, 'ana', '91.243.85.10');
    h.fail(now - 3 * DAY + MINUTE, 'ana', '91.243.85.11');
    h.locate('91.243.85.10', { country: 'RU', asn: 49505 });
    h.locate('91.243.85.11', { country: 'RU', asn: 49505 });
    h.succeed(now - 2 * DAY, 'ana', '45.133.5.19');
    h.succeed(now - DAY, 'ana', '45.133.5.19');
    h.locate('45.133.5.19', { country: 'BR', asn: 13335 });
    await h.writeTo(temp.app);
    const findings = await runDetector(newCountry, temp.app, now);
    expect(findings.map((f) => [f.countries, f.severity, f.count])).toEqual([
      [['RU'], 'high', 2],
      [['BR'], 'medium', 1],
    ]);
    expect(findings[0]!.filter).toMatchObject({ ip: '91.243.85.0/24' });
  });

  it('stays quiet for a first week without baseline, internal and unknown addresses, a known country, trusted networks', async () => {
    const h = history();
    // Four days of history only: no baseline yet.
    h.routine('newbie', '198.51.100.31', now - 5 * DAY, 4);
    h.locate('198.51.100.31', { country: 'DE', asn: 3320 });
    h.succeed(now - HOUR, 'newbie', '181.41.0.5');
    h.locate('181.41.0.5', { country: 'AR', asn: 7303 });
    established('ana', h);
    // Internal, and an address the geo data does not place.
    h.succeed(now - 3 * HOUR, 'ana', '10.1.2.3');
    h.locate('10.1.2.3', { internal: true, country: 'US' });
    h.fail(now - 2 * HOUR, 'ana', '203.0.113.50');
    // Another German network: new_network's business, not a new country.
    h.succeed(now - HOUR, 'ana', '93.184.216.10');
    h.locate('93.184.216.10', { country: 'DE', asn: 3209 });
    // dee only ever signed in from internal addresses: no country of hers is known to compare.
    h.routine('dee', '10.9.9.9', now - 30 * DAY, 28);
    h.locate('10.9.9.9', { internal: true });
    h.succeed(now - HOUR, 'dee', '181.41.0.5');
    // A traveller abroad through the company VPN (trusted), then in Japan on a trusted network.
    established('cy', h);
    h.succeed(now - 4 * HOUR, 'cy', '45.133.5.19');
    h.locate('45.133.5.19', { country: 'BR', asn: 13335 });
    h.succeed(now - 2 * HOUR, 'cy', '133.242.0.9');
    h.locate('133.242.0.9', { country: 'JP', asn: 9371 });
    await h.writeTo(temp.app);
    const trusted = {
      isTrusted: (ip: string | null, asn: number | null) => asn === 13335 || ip === '133.242.0.9',
    };
    expect(await runDetector(newCountry, temp.app, now, {}, trusted)).toEqual([]);
    // Without trust the traveller's countries are new; the newbie's once a short baseline will do.
    const untrusted = await runDetector(newCountry, temp.app, now);
    expect(untrusted.map((f) => [f.users[0], f.countries?.[0]])).toEqual([
      ['cy@acme.test', 'BR'],
      ['cy@acme.test', 'JP'],
    ]);
    const short = await runDetector(newCountry, temp.app, now, { baselineSpanDays: 2 }, trusted);
    expect(short.map((f) => f.users[0])).toEqual(['newbie@acme.test']);
  });

  it('a country last seen more than the lookback ago is new again', async () => {
    const h = established();
    h.succeed(now - 100 * DAY, 'ana', '45.133.5.19');
    h.locate('45.133.5.19', { country: 'BR', asn: 13335 });
    h.succeed(now - HOUR, 'ana', '45.133.5.20');
    h.locate('45.133.5.20', { country: 'BR', asn: 13335 });
    await h.writeTo(temp.app);
    expect(await runDetector(newCountry, temp.app, now)).toHaveLength(1);
    expect(await runDetector(newCountry, temp.app, now, { lookbackDays: 120 })).toEqual([]);
  });

  it("Okta's rule: a country among the lookback's but not among the last 10 sign-ins", async () => {
    const h = history();
    // A trip to France two months ago, then four weeks at home in Germany, then France again.
    for (let d = 0; d < 5; d++) h.succeed(now - 60 * DAY + d * DAY, 'ana', '90.84.1.1');
    h.locate('90.84.1.1', { country: 'FR', asn: 3215 });
    established('ana', h);
    h.succeed(now - HOUR, 'ana', '90.84.1.1');
    await h.writeTo(temp.app);
    expect(await runDetector(newCountry, temp.app, now)).toEqual([]);
    const [okta, ...rest] = await runDetector(newCountry, temp.app, now, { recentSignIns: 10 });
    expect(rest).toEqual([]);
    expect(okta).toMatchObject({ countries: ['FR'], count: 1 });
    expect(okta!.why).toContain("none of ana@acme.test's last 10 successful verifications");
    // Within the last 40 sign-ins, France is familiar.
    expect(await runDetector(newCountry, temp.app, now, { recentSignIns: 40 })).toEqual([]);
  });

  it('several users failing from one new country within the hour are one campaign; a success or a later hour stands alone', async () => {
    const h = history();
    for (let i = 0; i < 8; i++) established(`user${i}`, h);
    // A spray seen by country: eight users fail from Luxembourg within 35 minutes.
    for (let i = 0; i < 8; i++)
      h.fail(now - 3 * HOUR + i * 5 * MINUTE, `user${i}`, `91.243.85.${10 + i}`);
    for (let i = 0; i < 8; i++) h.locate(`91.243.85.${10 + i}`, { country: 'LU', asn: 202422 });
    await h.writeTo(temp.app);
    const [campaign, ...rest] = await runDetector(newCountry, temp.app, now);
    expect(rest).toEqual([]);
    expect(campaign).toMatchObject({
      severity: 'high',
      count: 8,
      countries: ['LU'],
      asns: [202422],
      remedies: ['trust_network'],
      why: '8 failed verifications for 8 users from AS202422 in Luxembourg within 35 minutes, a country none of them has succeeded from in 90 days.',
    });
    expect(campaign!.users).toHaveLength(8);
    expect(campaign!.filter).not.toHaveProperty('userId');
  });

  it('failures from one country by two users hours apart are two findings', async () => {
    const h = established('ana');
    established('ben', h);
    h.fail(now - 5 * HOUR, 'ana', '45.133.5.19');
    h.fail(now - 2 * HOUR, 'ben', '45.133.5.20');
    h.locate('45.133.5.19', { country: 'BR', asn: 13335 });
    h.locate('45.133.5.20', { country: 'BR', asn: 13335 });
    await h.writeTo(temp.app);
    const found = await runDetector(newCountry, temp.app, now);
    expect(found.map((f) => f.users)).toEqual(
      expect.arrayContaining([['ana@acme.test'], ['ben@acme.test']]),
    );
    expect(found).toHaveLength(2);
  });
});
