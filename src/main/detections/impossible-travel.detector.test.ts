import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runDetector } from '../../../tests/support/detectors';
import { DAY, history, HOUR, MINUTE } from '../../../tests/support/history';
import { createTempApp, type TempApp } from '../../../tests/support/temp-app';
import impossibleTravel from './impossible-travel.detector';

const BERLIN = { country: 'DE', asn: 3320, latitude: 52.52, longitude: 13.405 };
const HAMBURG = { country: 'DE', asn: 3209, latitude: 53.5511, longitude: 9.9937 };
const VIENNA = { country: 'AT', asn: 8447, latitude: 48.2082, longitude: 16.3738 };
const SAO_PAULO = { country: 'BR', asn: 13335, latitude: -23.5505, longitude: -46.6333 };

describe('impossible_travel detector', () => {
  let temp: TempApp;
  let now: number;
  beforeEach(async () => {
    temp = await createTempApp();
    now = temp.clock.now();
  });
  afterEach(() => temp.close());

  it('Berlin, then São Paulo two hours later: high, with distance, time and speed; links to the two', async () => {
    const h = history();
    h.succeed(now - 5 * HOUR, 'ana', '198.51.100.20');
    h.succeed(now - 3 * HOUR, 'ana', '45.133.5.19');
    h.locate('198.51.100.20', BERLIN);
    h.locate('45.133.5.19', SAO_PAULO);
    await h.writeTo(temp.app);
    const [finding, ...rest] = await runDetector(impossibleTravel, temp.app, now);
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({
      severity: 'high',
      users: ['ana@acme.test'],
      ips: ['198.51.100.20', '45.133.5.19'],
      count: 2,
      why: 'Successful verifications from AS3320 in Germany and, 2 hours later, from AS13335 in Brazil: 10,253 km apart, 5,126 km/h, faster than 900 km/h.',
    });
    const page = await temp.app.analytics.run('page', { ...finding!.filter, limit: 100 });
    expect(page.events.map((e) => e.ip)).toEqual(['45.133.5.19', '198.51.100.20']);
  });

  it('there and back again is one trip; a slow trip, a pair within 500 km, failures and a trusted VPN are not', async () => {
    const h = history();
    // ana: Berlin → São Paulo → Berlin within hours: one finding of three sign-ins.
    h.succeed(now - 10 * HOUR, 'ana', '198.51.100.20');
    h.succeed(now - 9 * HOUR, 'ana', '45.133.5.19');
    h.succeed(now - 8 * HOUR, 'ana', '198.51.100.21');
    // ben: Berlin → Vienna (524 km) in 2 hours: 262 km/h, a train or a plane.
    h.succeed(now - 3 * DAY, 'ben', '198.51.100.30');
    h.succeed(now - 3 * DAY + 2 * HOUR, 'ben', '93.184.216.10');
    // cy: Berlin → Hamburg (255 km) in 5 minutes: within a city database's error.
    h.succeed(now - 2 * DAY, 'cy', '198.51.100.40');
    h.succeed(now - 2 * DAY + 5 * MINUTE, 'cy', '93.184.217.10');
    // dee: Berlin, then a failure from São Paulo 10 minutes later: not a second person with the code.
    h.succeed(now - DAY, 'dee', '198.51.100.50');
    h.fail(now - DAY + 10 * MINUTE, 'dee', '45.133.5.19');
    // eve: Berlin, then the company VPN egress in São Paulo (trusted) an hour later.
    h.succeed(now - DAY, 'eve', '198.51.100.60');
    h.succeed(now - DAY + HOUR, 'eve', '45.133.6.1');
    for (const ip of ['198.51.100.20', '198.51.100.21', '198.51.100.30', '198.51.100.40'])
      h.locate(ip, BERLIN);
    for (const ip of ['198.51.100.50', '198.51.100.60']) h.locate(ip, BERLIN);
    h.locate('45.133.5.19', SAO_PAULO);
    h.locate('45.133.6.1', { ...SAO_PAULO, asn: 64512 });
    h.locate('93.184.216.10', VIENNA);
    h.locate('93.184.217.10', HAMBURG);
    await h.writeTo(temp.app);
    const vpn = { isTrusted: (_ip: string | null, asn: number | null) => asn === 64512 };
    const findings = await runDetector(impossibleTravel, temp.app, now, {}, vpn);
    expect(findings.map((f) => [f.users[0], f.count])).toEqual([['ana@acme.test', 3]]);
    expect(findings[0]!.why).toContain('(1 more such hop)');
    // The settings decide: a 200 km/h limit catches ben, no minimum distance catches cy.
    const strict = await runDetector(
      impossibleTravel,
      temp.app,
      now,
      { maxSpeedKmh: 200, minDistanceKm: 0 },
      vpn,
    );
    expect(strict.map((f) => f.users[0]).sort()).toEqual([
      'ana@acme.test',
      'ben@acme.test',
      'cy@acme.test',
    ]);
    // Untrusted, eve's VPN hop is a trip too.
    expect((await runDetector(impossibleTravel, temp.app, now)).map((f) => f.users[0])).toContain(
      'eve@acme.test',
    );
  });

  it('with countries only: two non-neighbours within 15 minutes (medium); neighbours or slower are not', async () => {
    const h = history();
    h.succeed(now - 5 * HOUR, 'ana', '198.51.100.20');
    h.succeed(now - 5 * HOUR + 7 * MINUTE, 'ana', '45.133.5.19');
    h.succeed(now - 3 * DAY, 'ben', '198.51.100.30');
    h.succeed(now - 3 * DAY + 5 * MINUTE, 'ben', '93.184.216.10');
    h.succeed(now - 2 * DAY, 'cy', '198.51.100.40');
    h.succeed(now - 2 * DAY + 30 * MINUTE, 'cy', '45.133.5.20');
    for (const ip of ['198.51.100.20', '198.51.100.30', '198.51.100.40'])
      h.locate(ip, { country: 'DE', asn: 3320 });
    h.locate('45.133.5.19', { country: 'BR', asn: 13335 });
    h.locate('45.133.5.20', { country: 'BR', asn: 13335 });
    h.locate('93.184.216.10', { country: 'AT', asn: 8447 });
    await h.writeTo(temp.app);
    const [finding, ...rest] = await runDetector(impossibleTravel, temp.app, now);
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({ severity: 'medium', users: ['ana@acme.test'], count: 2 });
    expect(finding!.why).toBe(
      'Successful verifications from AS3320 in Germany and, 7 minutes later, from AS13335 in Brazil: Germany and Brazil share no border, and the geo data has no coordinates (rule: non-neighbouring countries within 15 minutes).',
    );
    expect(
      await runDetector(impossibleTravel, temp.app, now, { countryWindowMinutes: 45 }),
    ).toHaveLength(2);
  });

  it('home and the phone’s carrier, placed 1,144 km apart, are no trip once both are routine; a third place is', async () => {
    const CHICAGO = { country: 'US', asn: 7922, latitude: 41.8781, longitude: -87.6298 };
    const NEW_YORK = { country: 'US', asn: 6167, latitude: 40.7128, longitude: -74.006 };
    const h = history();
    // Ten days of a sign-in at home, then one from the phone 50 minutes later.
    for (let d = 10; d >= 1; d--) {
      h.succeed(now - d * DAY, 'ana', '73.92.16.5');
      h.succeed(now - d * DAY + 50 * MINUTE, 'ana', '174.192.8.9');
    }
    h.locate('73.92.16.5', CHICAGO);
    h.locate('174.192.8.9', NEW_YORK);
    // Then from São Paulo an hour after the phone.
    h.succeed(now - DAY + 110 * MINUTE, 'ana', '45.133.5.19');
    h.locate('45.133.5.19', SAO_PAULO);
    await h.writeTo(temp.app);
    const found = await runDetector(impossibleTravel, temp.app, now);
    // The first day (both places new) and the trip to São Paulo; none of the nine routine days.
    expect(found.map((f) => f.start)).toEqual([
      new Date(now - 10 * DAY).toISOString(),
      new Date(now - DAY + 50 * MINUTE).toISOString(),
    ]);
    expect(found[1]!.why).toContain('Brazil');
  });

  it('habits from before the period count: home and phone within the lookback before it are routine', async () => {
    const CHICAGO = { country: 'US', asn: 7922, latitude: 41.8781, longitude: -87.6298 };
    const NEW_YORK = { country: 'US', asn: 6167, latitude: 40.7128, longitude: -74.006 };
    const h = history();
    // ana's home and phone, on days before the detector's 90 days; ben has no such habit.
    for (let d = 120; d > 95; d -= 5) {
      h.succeed(now - d * DAY, 'ana', '73.92.16.5');
      h.succeed(now - d * DAY + 3 * HOUR, 'ana', '174.192.8.9');
    }
    for (const user of ['ana', 'ben']) {
      h.succeed(now - 2 * DAY, user, '73.92.16.5');
      h.succeed(now - 2 * DAY + 50 * MINUTE, user, '174.192.8.9');
    }
    h.locate('73.92.16.5', CHICAGO);
    h.locate('174.192.8.9', NEW_YORK);
    await h.writeTo(temp.app);
    const found = await runDetector(impossibleTravel, temp.app, now, { lookbackDays: 125 });
    expect(found.map((f) => f.users)).toEqual([['ben@acme.test']]);
    // With a lookback too short to reach those days, ana's hop is a trip again.
    expect(await runDetector(impossibleTravel, temp.app, now, { lookbackDays: 3 })).toHaveLength(2);
  });
});
