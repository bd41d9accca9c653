import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../src/shared/contract';
import { EVENT_LIMITS, LISTED_PREVIEW_LENGTH } from '../../src/shared/event-file';
import { canonicalJson, GENESIS_HASH, NestedTooDeep } from '../../src/main/audit/audit-chain';
import { chainedRow } from '../../src/main/audit/audit.service';
import { verifyAuditChain } from '../../src/main/audit/audit-verify';
import { insertAuditEvents, latestAuditHash } from '../../src/main/store/audit.store';
import { writeTransaction } from '../../src/main/store/transaction';
import { engineName } from '../support/engine';
import { addMember, fails, ok, orgWithAdmin, signIn, type Caller } from '../support/console-driver';
import { createTempApp, TEST_CLIENT, type TempApp } from '../support/temp-app';

const FAILED = 'com.alaigned.auth.2fa.verify.failed';
type Page = { events: AuditEvent[]; nextCursor: string | null };

describe(`events larger than the caps (${engineName})`, () => {
  let temp: TempApp;
  let admin: Caller;
  beforeEach(async () => {
    temp = await createTempApp();
    admin = await orgWithAdmin(temp);
  });
  afterEach(() => temp.close());

  /**
   * Writes an event as a database older than the caps could hold it: through the store, past
   * every cap, chained to the trail's head like any other (the append-only triggers allow it).
   */
  async function storeAsOlderDatabaseDid(details: Record<string, unknown>, userAgent: string) {
    temp.clock.advance(1000);
    await writeTransaction(temp.app.db, async (trx) => {
      const prevHash = (await latestAuditHash(trx)) ?? GENESIS_HASH;
      const row = chainedRow(prevHash, {
        type: FAILED,
        ts: temp.clock.now(),
        userId: 'web-7',
        email: 'mia@acme.test',
        ip: '203.0.113.24',
        userAgent,
        method: 'totp',
        details: canonicalJson(details),
        source: 'old.jsonl (imported 2026-01-01T00:00:00.000Z)',
      });
      await insertAuditEvents(trx, [row]);
    });
  }

  it('lists a stored oversized event cut, with its size marked, and audit.getEvent answers it whole', async () => {
    const details = { blob: 'x'.repeat(5_000_000), needle: 'found-past-the-preview' };
    const userAgent = `Agent/1 ${'y'.repeat(20_000)}`;
    await storeAsOlderDatabaseDid(details, userAgent);
    const detailsBytes = Buffer.byteLength(canonicalJson(details));
    temp.clock.advance(1000);
    // A normal event after it: listed whole, with no marker.
    await writeTransaction(temp.app.db, (trx) =>
      temp.app.services.audit.append(trx, {
        type: FAILED,
        userId: 'web-8',
        email: 'sam@acme.test',
        client: TEST_CLIENT,
        method: 'totp',
        details: { reason: 'wrong_code' },
      }),
    );

    const answer = await admin.call('audit.query', { types: [FAILED] });
    // The page is a few kilobytes, not the 5 MB stored.
    expect(JSON.stringify(answer).length).toBeLessThan(10_000);
    const { events } = ok<Page>(answer);
    expect(events).toHaveLength(2);
    const [normal, cut] = events;
    expect(normal).toMatchObject({ details: { reason: 'wrong_code' } });
    expect(normal).not.toHaveProperty('truncated');
    expect(cut).toMatchObject({
      details: {},
      userAgent: userAgent.slice(0, LISTED_PREVIEW_LENGTH),
      truncated: {
        details: {
          bytes: detailsBytes,
          preview: canonicalJson(details).slice(0, LISTED_PREVIEW_LENGTH),
        },
        userAgent: { bytes: userAgent.length },
      },
    });

    // A text search still searches the whole stored value, and still lists it cut.
    const search = ok<Page>(await admin.call('audit.query', { text: 'found-past-the-preview' }));
    expect(search.events.map((e) => e.id)).toEqual([cut!.id]);
    expect(search.events[0]!.truncated?.details?.bytes).toBe(detailsBytes);

    const whole = ok<AuditEvent>(await admin.call('audit.getEvent', { id: cut!.id }));
    expect(whole).toMatchObject({ id: cut!.id, userAgent, details });
    expect(whole).not.toHaveProperty('truncated');
    // Nothing about listing it changed what is stored: the chain still verifies.
    expect(await verifyAuditChain(temp.app.db)).toMatchObject({ ok: true });
  });

  it('audit.getEvent: NOT_FOUND for an unknown id, FORBIDDEN for a member', async () => {
    fails(await admin.call('audit.getEvent', { id: 999_999 }), 'NOT_FOUND');
    const member = await addMember(temp, 'member@acme.test');
    const signedIn = await signIn(temp, member.email, member.password);
    fails(await signedIn.call('audit.getEvent', { id: 1 }), 'FORBIDDEN');
  });

  it('the console’s own events keep to the caps: a long user agent and large details are stored cut and marked, deep details refused', async () => {
    const append = (client: typeof TEST_CLIENT, details: Record<string, unknown>) =>
      writeTransaction(temp.app.db, (trx) =>
        temp.app.services.audit.append(trx, {
          type: 'com.alaigned.audit.exported',
          userId: null,
          email: null,
          client,
          details,
        }),
      );
    const longAgent = `Mozilla/5.0 ${'z'.repeat(14_000)}`;
    const id = await append({ ip: '203.0.113.9', userAgent: longAgent }, { n: 1 });
    const types = Array.from({ length: 50 }, (_, i) => `${i}${'€'.repeat(199)}`);
    const bigId = await append(TEST_CLIENT, { filters: { types } });
    const stored = await temp.app.db
      .selectFrom('audit_events')
      .select(['id', 'user_agent', 'details'])
      .where('id', 'in', [id, bigId])
      .orderBy('id')
      .execute();
    expect(stored[0]!.user_agent).toBe(`${longAgent.slice(0, EVENT_LIMITS.userAgentLength - 1)}…`);
    const cut = JSON.parse(stored[1]!.details) as {
      detailsCut: { bytes: number; preview: string };
    };
    expect(Buffer.byteLength(stored[1]!.details)).toBeLessThanOrEqual(EVENT_LIMITS.detailsBytes);
    expect(cut.detailsCut.bytes).toBe(Buffer.byteLength(canonicalJson({ filters: { types } })));
    expect(cut.detailsCut.preview).toBe(
      canonicalJson({ filters: { types } }).slice(0, LISTED_PREVIEW_LENGTH),
    );

    let deep: Record<string, unknown> = {};
    for (let i = 0; i < 20_000; i++) deep = { deeper: deep };
    const before = await temp.app.db.selectFrom('audit_events').select('id').execute();
    await expect(append(TEST_CLIENT, deep)).rejects.toThrow(NestedTooDeep);
    expect(await temp.app.db.selectFrom('audit_events').select('id').execute()).toEqual(before);
    expect(await verifyAuditChain(temp.app.db)).toMatchObject({ ok: true });
  });
});
