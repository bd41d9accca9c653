import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEventTypes } from '../../src/shared/audit-events';
import type { HistoricalEvent } from '../../src/main/audit/audit.service';
import { verifyAuditChain } from '../../src/main/audit/audit-verify';
import { recountHourlyCounts } from '../../src/main/store/hourly-counts.store';
import { writeTransaction } from '../../src/main/store/transaction';
import { ok, orgWithAdmin, type Caller } from '../support/console-driver';
import { engineName } from '../support/engine';
import { DAY, FAILED, HOUR, SUCCESS } from '../support/history';
import { createTempApp, type TempApp } from '../support/temp-app';

const BASE = Date.parse('2026-03-01T00:00:00Z');

/** Times where counting goes wrong first: on and beside hour edges, and on both sides of 1970. */
const nearBase = fc.integer({ min: BASE - 2 * DAY, max: BASE + 2 * DAY });
const onHourEdges = fc
  .tuple(fc.integer({ min: -30, max: 30 }), fc.integer({ min: -1, max: 1 }))
  .map(([hours, ms]) => BASE + hours * HOUR + ms);
const aroundEpoch = fc.integer({ min: -3 * HOUR, max: 3 * HOUR });
const eventTime = fc.oneof(nearBase, onHourEdges, aroundEpoch);

const eventBatch = fc.array(
  fc.record({
    ts: eventTime,
    type: fc.oneof(fc.constantFrom(SUCCESS, FAILED), fc.constantFrom(...auditEventTypes)),
  }),
  { minLength: 1, maxLength: 400 },
);

/** A range within one region, so an hourly timeline stays a few hundred buckets long. */
const rangeIn = (times: fc.Arbitrary<number>) =>
  fc
    .tuple(times, times)
    .filter(([a, b]) => a !== b)
    .map(([a, b]) => ({ sinceMs: Math.min(a, b), untilMs: Math.max(a, b) }));
const anyRange = fc.oneof(
  rangeIn(fc.oneof(nearBase, onHourEdges)),
  rangeIn(aroundEpoch),
  rangeIn(fc.constantFrom(BASE - 2 * DAY, BASE, BASE + DAY, BASE + 2 * DAY)),
);

function historical(event: { ts: number; type: string }, i: number): HistoricalEvent {
  return {
    type: event.type,
    ts: event.ts,
    userId: `u${i % 7}`,
    email: `u${i % 7}@acme.test`,
    ip: '198.51.100.9',
    userAgent: 'test-agent',
    method: 'totp',
    details: '{}',
    source: 'test',
  };
}

describe(`hourly counts on ${engineName}: the charts agree with the trail itself`, () => {
  let temp: TempApp;
  let admin: Caller;
  beforeAll(async () => {
    temp = await createTempApp();
    admin = await orgWithAdmin(temp);
  });
  afterAll(() => temp.close());

  it('timeline and counts by type equal a count over every stored event, for any range, after every append', async () => {
    // Three appends, so hours already counted are added to as well as created.
    const batches = fc.sample(eventBatch, { numRuns: 3, seed: 20261128 });
    for (const batch of batches) {
      await writeTransaction(temp.app.db, (trx) =>
        temp.app.services.audit.appendHistorical(trx, batch.map(historical)),
      );
      const stored = await temp.app.db.selectFrom('audit_events').select(['ts', 'type']).execute();

      await fc.assert(
        fc.asyncProperty(anyRange, fc.constantFrom('hour', 'day'), async (range, bucket) => {
          const bucketMs = bucket === 'hour' ? HOUR : DAY;
          const since = new Date(range.sinceMs).toISOString();
          const until = new Date(range.untilMs).toISOString();
          const inRange = stored.filter(
            (e) => Number(e.ts) >= range.sinceMs && Number(e.ts) < range.untilMs,
          );

          const timeline = ok<{ buckets: Array<{ success: number; failed: number }> }>(
            await admin.call('audit.timeline', { since, until, bucket }),
          );
          const first = Math.floor(range.sinceMs / bucketMs);
          const expected = timeline.buckets.map(() => ({ success: 0, failed: 0 }));
          for (const e of inRange) {
            const slot = expected[Math.floor(Number(e.ts) / bucketMs) - first]!;
            if (e.type === SUCCESS) slot.success++;
            if (e.type === FAILED) slot.failed++;
          }
          expect(timeline.buckets.map((b) => ({ success: b.success, failed: b.failed }))).toEqual(
            expected,
          );

          const summary = ok<{ counts: Array<{ type: string; count: number }> }>(
            await admin.call('audit.summary', { since, until }),
          );
          const perType: Record<string, number> = {};
          for (const e of inRange) perType[e.type] = (perType[e.type] ?? 0) + 1;
          expect(Object.fromEntries(summary.counts.map((c) => [c.type, c.count]))).toEqual(perType);
        }),
        { numRuns: 40, seed: 42 },
      );
    }
  }, 120_000);

  it('verification finds counts changed outside the console, and a recount repairs them', async () => {
    expect(await verifyAuditChain(temp.app.db)).toMatchObject({ ok: true });
    const hidden = await temp.app.db
      .selectFrom('audit_hourly_counts')
      .select(['hour', 'type', 'n'])
      .where('type', '=', FAILED)
      .orderBy('n', 'desc')
      .executeTakeFirstOrThrow();
    // Someone with the database hides an hour's failures from the charts; the chain still holds.
    await temp.app.db
      .updateTable('audit_hourly_counts')
      .set({ n: 0 })
      .where('hour', '=', hidden.hour)
      .where('type', '=', FAILED)
      .execute();
    const at = new Date(hidden.hour * HOUR).toISOString().slice(0, 13);
    const found = await verifyAuditChain(temp.app.db);
    expect(found).toMatchObject({ ok: false, problem: 'counts', firstBadId: null });
    expect(found.ok ? '' : found.message).toContain(
      `${FAILED} in the hour from ${at}:00Z counts 0, the trail holds ${hidden.n}`,
    );

    await writeTransaction(temp.app.db, (trx) => recountHourlyCounts(trx));
    expect(await verifyAuditChain(temp.app.db)).toMatchObject({ ok: true });
    const timeline = ok<{ buckets: Array<{ start: string; failed: number }> }>(
      await admin.call('audit.timeline', {
        since: new Date(hidden.hour * HOUR).toISOString(),
        until: new Date((hidden.hour + 1) * HOUR).toISOString(),
        bucket: 'hour',
      }),
    );
    expect(timeline.buckets.map((b) => b.failed)).toEqual([hidden.n]);
  });

  it('an append that rolls back leaves the counts as they were', async () => {
    const countsNow = () =>
      temp.app.db
        .selectFrom('audit_hourly_counts')
        .selectAll()
        .orderBy('hour')
        .orderBy('type')
        .execute();
    const before = await countsNow();
    await expect(
      writeTransaction(temp.app.db, async (trx) => {
        await temp.app.services.audit.appendHistorical(
          trx,
          [
            { ts: BASE, type: FAILED },
            { ts: BASE + 5 * DAY, type: SUCCESS },
          ].map(historical),
        );
        throw new Error('the import failed later');
      }),
    ).rejects.toThrow('the import failed later');
    expect(await countsNow()).toEqual(before);
    expect(await verifyAuditChain(temp.app.db)).toMatchObject({ ok: true });
  });
});
