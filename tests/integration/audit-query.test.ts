import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../src/shared/contract';
import { writeTransaction } from '../../src/main/store/transaction';
import { addMember, fails, ok, orgWithAdmin, signIn, type Caller } from '../support/console-driver';
import { createTempApp, TEST_START, type TempApp } from '../support/temp-app';
import { TEXT_SEARCH_WINDOW } from '../../src/main/store/audit.store';

describe('audit.query', () => {
  let temp: TempApp;
  let admin: Caller;
  beforeEach(async () => {
    temp = await createTempApp();
    admin = await orgWithAdmin(temp);
    // 30 verification events, one every 20 s (the admin's session stays fresh), alternating users, addresses and outcomes.
    await writeTransaction(temp.app.db, async (trx) => {
      for (let i = 0; i < 30; i++) {
        temp.clock.advance(20_000);
        await temp.app.services.audit.append(trx, {
          type:
            i % 3 === 0
              ? 'com.alaigned.auth.2fa.verify.success'
              : 'com.alaigned.auth.2fa.verify.failed',
          userId: `u${i % 2}`,
          email: `user${i % 2}@acme.test`,
          client: {
            ip: i % 5 === 0 ? '192.0.2.10' : '2001:db8::7',
            userAgent: i === 7 ? 'Mozilla/5.0 (X11; Linux) Firefox/140' : 'Chrome/150',
          },
          method: i % 4 === 0 ? 'backup_code' : 'totp',
          details: { reason: i % 3 === 0 ? undefined : 'wrong_code', n: i },
        });
      }
    });
  });
  afterEach(() => temp.close());

  const query = async (input: Record<string, unknown>) =>
    ok<{ events: AuditEvent[]; nextCursor: string | null }>(await admin.call('audit.query', input));
  const numbers = (events: AuditEvent[]) => events.map((e) => e.details.n as number);

  it('returns contract-shaped events, newest first', async () => {
    const { events } = await query({ types: ['com.alaigned.auth.2fa.verify.failed'], limit: 3 });
    expect(numbers(events)).toEqual([29, 28, 26]);
    expect(events[0]).toEqual({
      id: expect.any(Number),
      type: 'com.alaigned.auth.2fa.verify.failed',
      timestamp: new Date(temp.clock.now()).toISOString(),
      userId: 'u1',
      email: 'user1@acme.test',
      ip: '2001:db8::7',
      userAgent: 'Chrome/150',
      method: 'totp',
      details: { reason: 'wrong_code', n: 29 },
      source: null,
    });
  });

  it('filters by email, address, method, time range and free text, matching a hand count', async () => {
    expect((await query({ email: 'user0@acme.test' })).events).toHaveLength(15);
    expect(numbers((await query({ ip: '192.0.2.10' })).events)).toEqual([25, 20, 15, 10, 5, 0]);
    expect(
      (
        await query({ method: 'backup_code', types: ['com.alaigned.auth.2fa.verify.success'] })
      ).events.map((e) => e.details.n),
    ).toEqual([24, 12, 0]);
    const since = new Date(temp.clock.now() - 4 * 20_000).toISOString();
    const until = new Date(temp.clock.now() - 1 * 20_000).toISOString();
    // since is inclusive, until exclusive.
    expect(numbers((await query({ since, until })).events)).toEqual([27, 26, 25]);
    expect(numbers((await query({ text: 'firefox' })).events)).toEqual([7]);
    // LIKE wildcards in the text are literal characters.
    expect((await query({ text: '%' })).events).toEqual([]);
  });

  it('pages by cursor through every event exactly once', async () => {
    const seen: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: { events: AuditEvent[]; nextCursor: string | null } = await query({
        types: ['com.alaigned.auth.2fa.verify.failed', 'com.alaigned.auth.2fa.verify.success'],
        limit: 7,
        ...(cursor ? { cursor } : {}),
      });
      seen.push(...numbers(page.events));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(5);
    expect(seen).toEqual(Array.from({ length: 30 }, (_, i) => 29 - i));
  });

  it('searches text window by window: short pages that go on, and every match exactly once', async () => {
    // Older than the 30 events above: three needles spread over more rows than one window reads.
    const older = Array.from({ length: TEXT_SEARCH_WINDOW * 2 + 500 }, (_, i) => ({
      type: 'com.alaigned.auth.2fa.verify.success',
      ts: TEST_START - 1_000_000 + i,
      userId: 'u9',
      email: 'user9@acme.test',
      ip: '198.51.100.9',
      userAgent: [10, TEXT_SEARCH_WINDOW + 10, TEXT_SEARCH_WINDOW * 2 + 400].includes(i)
        ? 'needle-browser/1'
        : 'Chrome/150',
      method: 'totp' as const,
      details: '{}',
      source: 'test',
    }));
    await writeTransaction(temp.app.db, (trx) =>
      temp.app.services.audit.appendHistorical(trx, older),
    );
    const found: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    let shortPagesThatWentOn = 0;
    do {
      const page: { events: AuditEvent[]; nextCursor: string | null } = await query({
        text: 'needle',
        limit: 50,
        ...(cursor ? { cursor } : {}),
      });
      found.push(...page.events.map((e) => e.timestamp));
      if (page.events.length < 50 && page.nextCursor) shortPagesThatWentOn++;
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 20);
    expect(cursor).toBeNull();
    expect(found).toEqual(
      [TEXT_SEARCH_WINDOW * 2 + 400, TEXT_SEARCH_WINDOW + 10, 10].map((i) =>
        new Date(TEST_START - 1_000_000 + i).toISOString(),
      ),
    );
    expect(shortPagesThatWentOn).toBeGreaterThan(0);
  });

  it('refuses bad input and non-admins', async () => {
    fails(await admin.call('audit.query', { cursor: 'garbage' }), 'INVALID_INPUT');
    fails(await admin.call('audit.query', { ip: '999.1.1.1' }), 'INVALID_INPUT');
    fails(await admin.call('audit.query', { since: 'yesterday' }), 'INVALID_INPUT');
    fails(await admin.call('audit.query', { limit: 5000 }), 'INVALID_INPUT');
    const member = await addMember(temp, 'mia@acme.test');
    fails(
      await (await signIn(temp, member.email, member.password)).call('audit.query', {}),
      'FORBIDDEN',
    );
  });
});
