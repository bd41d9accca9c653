import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runDetector } from '../../../tests/support/detectors';
import { DAY, HOUR, history } from '../../../tests/support/history';
import { createTempApp, type TempApp } from '../../../tests/support/temp-app';
import newNetwork from './new-network.detector';

describe('new_network detector', () => {
  let temp: TempApp;
  let now: number;
  beforeEach(async () => {
    temp = await createTempApp();
    now = temp.clock.now();
  });
  afterEach(() => temp.close());

  it('finds an established user failing from a network new to them: high', async () => {
    const h = history();
    h.routine('ana', '198.51.100.20', now - 30 * DAY, 25);
    h.fail(now - 2 * HOUR, 'ana', '45.133.5.19');
    await h.writeTo(temp.app);
    const [finding, ...rest] = await runDetector(newNetwork, temp.app, now);
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({
      severity: 'high',
      users: ['ana@acme.test'],
      ips: ['45.133.5.19'],
      count: 1,
      filter: { userId: 'ana', ip: '45.133.5.0/24' },
    });
  });

  it('one finding for a network new to several users at once', async () => {
    const h = history();
    for (const user of ['ana', 'ben', 'cy']) {
      h.routine(user, '198.51.100.20', now - 30 * DAY, 25);
      h.fail(now - HOUR, user, '45.133.5.19');
    }
    await h.writeTo(temp.app);
    const findings = await runDetector(newNetwork, temp.app, now);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      users: ['ana@acme.test', 'ben@acme.test', 'cy@acme.test'],
      count: 3,
    });
    expect(findings[0]!.title).toContain('3 users');
  });

  it('stays quiet without a baseline, and without enough baseline days for the settings', async () => {
    const h = history();
    h.routine('short', '198.51.100.31', now - 4 * DAY, 3);
    h.succeed(now - HOUR, 'short', '85.214.1.31');
    await h.writeTo(temp.app);
    expect(await runDetector(newNetwork, temp.app, now)).toEqual([]);
    // Three sign-in days over a span of two days is a baseline once the span asked is two days.
    expect(await runDetector(newNetwork, temp.app, now, { baselineSpanDays: 2 })).toHaveLength(1);
  });

  it('an internal range is never a new network: company phones behind a carrier’s CGNAT', async () => {
    const h = history();
    h.routine('ana', '85.214.1.20', now - 30 * DAY, 25);
    // A private APN hands out a new 100.64.0.0/10 /24 on most sign-ins; a failure from one too.
    h.fail(now - 3 * HOUR, 'ana', '100.64.7.9');
    h.succeed(now - 2 * HOUR, 'ana', '100.71.200.3');
    // Two colleagues' phones from one CGNAT /24 new to both (successes only: a group finding).
    for (const user of ['ben', 'cy']) {
      h.routine(user, '85.214.1.21', now - 30 * DAY, 25);
      h.succeed(now - 2 * HOUR, user, '100.113.111.5');
    }
    await h.writeTo(temp.app);
    expect(await runDetector(newNetwork, temp.app, now)).toEqual([]);
    // The same from a public network new for her: found.
    const later = history();
    later.fail(now - HOUR, 'ana', '45.133.5.19');
    await later.writeTo(temp.app);
    expect(await runDetector(newNetwork, temp.app, now)).toHaveLength(1);
  });
});
