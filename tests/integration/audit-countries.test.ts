import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditEvent, CallOutput } from '../../src/shared/contract';
import { addMember, fails, ok, orgWithAdmin, signIn, type Caller } from '../support/console-driver';
import { createTempApp, TEST_START, type TempApp } from '../support/temp-app';
import { DAY, history, HOUR, MINUTE } from '../support/history';

describe('verifications by country, and the audit page filtered by one', () => {
  let temp: TempApp;
  let admin: Caller;
  const start = TEST_START - 3 * DAY;
  const range = { since: new Date(start).toISOString(), until: new Date(TEST_START).toISOString() };

  beforeEach(async () => {
    temp = await createTempApp();
    admin = await orgWithAdmin(temp);
    const h = history();
    // Germany: 3 successes and 2 failures over two addresses; Brazil: 4 failures from one;
    // an address the geo data does not know: 1 success; an office address (internal): 2
    // successes and 1 failure.
    h.succeed(start + HOUR, 'u1', '85.214.1.1');
    h.succeed(start + 2 * HOUR, 'u1', '85.214.1.1');
    h.fail(start + 3 * HOUR, 'u2', '85.214.1.1');
    h.succeed(start + 4 * HOUR, 'u2', '91.64.2.2');
    h.fail(start + 5 * HOUR, 'u2', '91.64.2.2');
    for (let i = 0; i < 4; i++) h.fail(start + DAY + i * MINUTE, `u${i}`, '177.10.3.3');
    h.succeed(start + 2 * DAY, 'u3', '203.0.113.50');
    h.succeed(start + 2 * DAY + HOUR, 'u4', '10.1.2.3');
    h.succeed(start + 2 * DAY + 2 * HOUR, 'u4', '10.1.2.3');
    h.fail(start + 2 * DAY + 3 * HOUR, 'u4', '10.1.2.4');
    // Outside the range: never counted.
    h.fail(start - HOUR, 'u1', '85.214.1.1');
    h.locate('85.214.1.1', { country: 'DE', asn: 6724 });
    h.locate('91.64.2.2', { country: 'DE', asn: 3209 });
    h.locate('177.10.3.3', { country: 'BR', asn: 28573 });
    // A public address the geo data has no country for (a documentation address would be internal).
    h.locate('203.0.113.50', {});
    await h.writeTo(temp.app);
    // Internal addresses are stored as the locator marks them: no country.
    await temp.app.db
      .insertInto('ip_locations')
      .values(['10.1.2.3', '10.1.2.4'].map((ip) => ({ ip, internal: 1, country: null })))
      .onConflict((conflict) => conflict.column('ip').doUpdateSet({ internal: 1, country: null }))
      .execute();
  });
  afterEach(() => temp.close());

  it('counts successes and failures per country, the internal and the unknown apart', async () => {
    const countries = ok<CallOutput<'audit.countries'>>(await admin.call('audit.countries', range));
    expect(countries).toEqual({
      // Most failures first.
      countries: [
        { country: 'BR', success: 0, failed: 4 },
        { country: 'DE', success: 3, failed: 2 },
      ],
      unknown: { success: 1, failed: 0 },
      internal: { success: 2, failed: 1 },
    });
    // The range bounds it: the failure an hour before `since` counts once `since` moves back.
    const wider = ok<CallOutput<'audit.countries'>>(
      await admin.call('audit.countries', { ...range, since: new Date(start - DAY).toISOString() }),
    );
    expect(wider.countries.find((c) => c.country === 'DE')).toEqual({
      country: 'DE',
      success: 3,
      failed: 3,
    });
  });

  it('a country filter lists exactly the events from its addresses, with the other filters', async () => {
    const page = async (input: Record<string, unknown>) =>
      ok<{ events: AuditEvent[] }>(await admin.call('audit.query', { ...range, ...input })).events;
    const german = await page({ country: 'DE' });
    expect(german.map((e) => e.ip).sort()).toEqual([
      '85.214.1.1',
      '85.214.1.1',
      '85.214.1.1',
      '91.64.2.2',
      '91.64.2.2',
    ]);
    expect(await page({ country: 'DE', outcome: 'failure' })).toHaveLength(2);
    // Several types take the per-type branches: the filter holds in each.
    expect(
      await page({
        country: 'BR',
        types: ['com.alaigned.auth.2fa.verify.failed', 'com.alaigned.auth.2fa.verify.success'],
      }),
    ).toHaveLength(4);
    expect(await page({ country: 'BR', text: 'test-agent' })).toHaveLength(4);
    expect(await page({ country: 'FR' })).toEqual([]);
  });

  it('refuses a country that is not an upper-case alpha-2 code, and members may not count', async () => {
    for (const country of ['de', 'DEU', 'D1', ''])
      fails(await admin.call('audit.query', { country }), 'INVALID_INPUT');
    fails(await admin.call('audit.countries', { ...range, bucket: 'day' }), 'INVALID_INPUT');
    await addMember(temp, 'mia@acme.test');
    const member = await signIn(temp, 'mia@acme.test', 'member password 1');
    fails(await member.call('audit.countries', range), 'FORBIDDEN');
  });
});
