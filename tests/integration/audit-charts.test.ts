import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultPatternSettings } from '../../src/main/detections/registry';
import { auditRows, fails, ok, orgWithAdmin, type Caller } from '../support/console-driver';
import { createTempApp, TEST_START, type TempApp } from '../support/temp-app';
import { DAY, history, HOUR, MINUTE } from '../support/history';

describe('chart aggregates against a hand-counted fixture', () => {
  let temp: TempApp;
  let admin: Caller;
  // TEST_START is Monday 2026-03-02 09:00 UTC.
  const monday = TEST_START - 9 * HOUR;
  beforeEach(async () => {
    temp = await createTempApp();
    admin = await orgWithAdmin(temp);
    const h = history();
    // Monday: 3 successes, 2 failures at 10:xx; Tuesday: 1 failure at 23:30; Wednesday: 4 successes.
    for (let i = 0; i < 3; i++) h.succeed(monday + 10 * HOUR + i * MINUTE, `u${i}`, '198.51.100.1');
    h.fail(monday + 10 * HOUR + 5 * MINUTE, 'u0', '203.0.113.5');
    h.fail(monday + 10 * HOUR + 6 * MINUTE, 'u1', '203.0.113.6');
    h.fail(monday + DAY + 23 * HOUR + 30 * MINUTE, 'u0', '2001:db8:1::9');
    for (let i = 0; i < 4; i++)
      h.succeed(monday + 2 * DAY + 8 * HOUR + i * MINUTE, `u${i}`, '198.51.100.2');
    await h.writeTo(temp.app);
  });
  afterEach(() => temp.close());

  const range = () => ({
    since: new Date(monday).toISOString(),
    until: new Date(monday + 3 * DAY).toISOString(),
  });

  it('timeline: daily buckets with successes and failures', async () => {
    const { buckets } = ok<{ buckets: Array<{ start: string; success: number; failed: number }> }>(
      await admin.call('audit.timeline', { ...range(), bucket: 'day' }),
    );
    expect(buckets.map((b) => [b.start.slice(0, 10), b.success, b.failed])).toEqual([
      ['2026-03-02', 3, 2],
      ['2026-03-03', 0, 1],
      ['2026-03-04', 4, 0],
    ]);
    const hourly = ok<{ buckets: Array<{ start: string; failed: number }> }>(
      await admin.call('audit.timeline', { ...range(), bucket: 'hour' }),
    );
    expect(hourly.buckets).toHaveLength(72);
    expect(hourly.buckets.filter((b) => b.failed > 0).map((b) => b.start)).toEqual([
      '2026-03-02T10:00:00.000Z',
      '2026-03-03T23:00:00.000Z',
    ]);
  });

  it('top users, addresses and networks by failures', async () => {
    const top = (by: string) =>
      admin
        .call('audit.top', { ...range(), by })
        .then((e) => ok<{ rows: Array<{ label: string; failures: number }> }>(e).rows);
    expect(await top('user')).toEqual([
      { key: 'u0', label: 'u0@acme.test', failures: 2 },
      { key: 'u1', label: 'u1@acme.test', failures: 1 },
    ]);
    expect((await top('network')).map((r) => [r.label, r.failures])).toEqual([
      ['203.0.113.0/24', 2],
      ['2001:db8:1::/48', 1],
    ]);
    expect((await top('ip')).map((r) => r.label)).toEqual([
      '2001:db8:1::9',
      '203.0.113.5',
      '203.0.113.6',
    ]);
  });

  it('heatmap: failures by weekday and hour, shifted to the caller’s time zone', async () => {
    const cells = async (tzOffsetMinutes: number) =>
      ok<{ cells: Array<{ weekday: number; hour: number; failures: number }> }>(
        await admin.call('audit.heatmap', { ...range(), tzOffsetMinutes }),
      ).cells.filter((c) => c.failures > 0);
    expect(await cells(0)).toEqual([
      { weekday: 1, hour: 10, failures: 2 },
      { weekday: 2, hour: 23, failures: 1 },
    ]);
    // UTC+1: Tuesday 23:30 UTC is Wednesday 00:30.
    expect(await cells(60)).toEqual([
      { weekday: 1, hour: 11, failures: 2 },
      { weekday: 3, hour: 0, failures: 1 },
    ]);
    const page = ok<{ events: unknown[] }>(
      await admin.call('audit.query', { weekday: 3, hour: 0, tzOffsetMinutes: 60 }),
    );
    expect(page.events).toHaveLength(1);
  });

  it('pattern thresholds: admins change them with a recent proof, audited; members may not read them', async () => {
    expect(ok(await admin.call('audit.getPatternSettings'))).toEqual(defaultPatternSettings);
    const stricter = {
      ...defaultPatternSettings,
      userFailures: { minFailures: 3, windowMinutes: 30 },
    };
    expect(ok(await admin.call('audit.updatePatternSettings', { settings: stricter }))).toEqual(
      stricter,
    );
    expect(ok(await admin.call('audit.getPatternSettings'))).toEqual(stricter);
    const [row] = await auditRows(temp.app, 'com.alaigned.audit.pattern_settings_changed');
    expect(row!.details).toMatchObject({ from: defaultPatternSettings, to: stricter });
    fails(
      await admin.call('audit.updatePatternSettings', {
        settings: { ...stricter, userFailures: { minFailures: 1, windowMinutes: 30 } },
      }),
      'INVALID_INPUT',
    );
  });
});
