import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toAuditFilter, type AuditQuery } from '../../src/main/detections/analytics';
import {
  burstQuery,
  failureWindowsQuery,
  heatmapQuery,
  newNetworksQuery,
  sprayQuery,
  rolledUpHourCountsQuery,
  trailHourCountsQuery,
  topQuery,
} from '../../src/main/store/analytics.store';
import { explainAuditPage, explainQuery } from '../../src/main/store/audit.store';
import { sqliteOnly } from '../support/engine';
import { createTempApp, type TempApp } from '../support/temp-app';
import { DAY, history, HOUR } from '../support/history';

/** A step that reads audit_events without any index: a full table scan at a million rows. */
const fullScan = (plan: string[]) =>
  plan.filter((line) => /^SCAN (audit_events|e|p|b)\b(?!.*INDEX)/.test(line));

describe.skipIf(
  sqliteOnly('query plans: SQLite plans without statistics, so each query pins its index'),
)('every audit query uses an index (asserted on the real query plans)', () => {
  let temp: TempApp;
  const range = { sinceMs: 0, untilMs: Date.parse('2030-01-01T00:00:00Z') };
  beforeAll(async () => {
    temp = await createTempApp();
    // Some real rows, so the plans are made against a populated table.
    const h = history();
    for (let i = 0; i < 500; i++) {
      h.succeed(temp.clock.now() - i * HOUR, `u${i % 40}`, `198.51.100.${i % 200}`);
      if (i % 3 === 0)
        h.fail(temp.clock.now() - i * HOUR - 1000, `u${i % 40}`, `203.0.113.${i % 50}`);
    }
    await h.writeTo(temp.app);
  });
  afterAll(() => temp.close());

  const pages: Record<string, AuditQuery> = {
    'no filter': {},
    'one type': { types: ['com.alaigned.auth.2fa.verify.failed'] },
    'several types': {
      types: ['com.alaigned.auth.2fa.verify.failed', 'com.alaigned.auth.2fa.verify.success'],
    },
    outcome: { outcome: 'failure' },
    email: {
      email: 'u1@acme.test',
      types: ['com.alaigned.auth.2fa.verify.failed', 'com.alaigned.auth.2fa.verify.success'],
    },
    user: { userId: 'u1' },
    address: { ip: '198.51.100.7' },
    'CIDR block': { ip: '198.51.100.0/24' },
    'time range': { since: '2026-01-01T00:00:00Z', until: '2026-02-01T00:00:00Z' },
    'method and text': { method: 'backup_code', text: 'Firefox' },
    'weekday and hour': { weekday: 2, hour: 3, tzOffsetMinutes: 60 },
  };
  for (const [name, input] of Object.entries(pages)) {
    it(`audit page: ${name}`, async () => {
      const plan = await explainAuditPage(temp.app.db, toAuditFilter(input), {
        ts: Date.now(),
        id: 1e9,
      });
      expect(fullScan(plan), plan.join(' | ')).toEqual([]);
      expect(
        plan.some((line) => /USING (COVERING )?INDEX audit_/.test(line)),
        plan.join(' | '),
      ).toBe(true);
      // Sorting is only ever done on a page's worth of rows (the per-type branches) or a CIDR's matches.
      if (!['several types', 'outcome', 'CIDR block'].includes(name)) {
        expect(plan.join(' | ')).not.toContain('TEMP B-TREE FOR ORDER BY');
      }
    });
  }

  const charts = {
    'timeline, partial hours': () =>
      trailHourCountsQuery(temp.app.db, range, [
        'com.alaigned.auth.2fa.verify.success',
        'com.alaigned.auth.2fa.verify.failed',
      ]).compile(),
    'counts by type, partial hours': () => trailHourCountsQuery(temp.app.db, range).compile(),
    'top users': () => topQuery(temp.app.db, range, 'user', 10).compile(),
    'top networks': () => topQuery(temp.app.db, range, 'network', 10).compile(),
    heatmap: () => heatmapQuery(temp.app.db, range, 0).compile(),
    'user failure windows': () => failureWindowsQuery(range, 5, HOUR).compile(temp.app.db),
    'new networks': () =>
      newNetworksQuery(temp.app.db, range, {
        lookbackMs: 90 * DAY,
        baselineDays: 3,
        baselineSpanMs: 7 * DAY,
      }).compile(temp.app.db),
    bursts: () => burstQuery(temp.app.db, range, 600_000, 0, 20).compile(),
    sprays: () => sprayQuery(temp.app.db, range, HOUR, 5).compile(),
  };
  for (const [name, compile] of Object.entries(charts)) {
    it(`analysis: ${name}`, async () => {
      const plan = await explainQuery(temp.app.db, compile());
      expect(fullScan(plan), plan.join(' | ')).toEqual([]);
      expect(
        plan.some((line) => /INDEX audit_/.test(line)),
        plan.join(' | '),
      ).toBe(true);
    });
  }

  it('whole hours are read from the hourly counts by their key, never from the trail', async () => {
    const plan = await explainQuery(
      temp.app.db,
      rolledUpHourCountsQuery(temp.app.db, 0, 1_000_000, [
        'com.alaigned.auth.2fa.verify.failed',
      ]).compile(),
    );
    expect(plan.join(' | ')).toMatch(/SEARCH audit_hourly_counts USING (COVERING )?INDEX/);
    expect(plan.join(' | ')).not.toContain('audit_events');
  });

  it('new networks reads the partial verification index, not the table', async () => {
    const plan = await explainQuery(
      temp.app.db,
      newNetworksQuery(temp.app.db, range, {
        lookbackMs: 90 * DAY,
        baselineDays: 3,
        baselineSpanMs: 7 * DAY,
      }).compile(temp.app.db),
    );
    expect(plan.join(' | ')).toContain('audit_verify_user_network_ts');
  });
});
