import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { caller, fails, ok, orgWithAdmin, type Caller } from '../support/console-driver';
import { engineName } from '../support/engine';
import { ADMIN, createTempApp, type TempApp } from '../support/temp-app';

const FAILED = 'com.alaigned.auth.2fa.verify.failed';
const INVISIBLE = 'must not contain invisible or direction-changing characters';

/**
 * Names, e-mails and org names a person reads must be what they hold: control, line-break,
 * bidi and zero-width characters are refused at the router, naming the field and the character,
 * and at import, naming the line. (README "Names and e-mails"; docs/security.md.)
 */
describe(`hidden characters in names and e-mails (${engineName})`, () => {
  let temp: TempApp;
  beforeEach(async () => {
    temp = await createTempApp();
  });
  afterEach(() => temp.close());

  const userEmails = async () =>
    (await temp.app.db.selectFrom('users').select('email').orderBy('email').execute()).map(
      (row) => row.email,
    );

  it('org.create refuses them in the org name, the admin name and e-mail; nothing is written', async () => {
    const first = caller(temp.app);
    const cases: Array<[Record<string, string>, string]> = [
      [{ orgName: 'Acme\u202E Corp' }, `orgName: ${INVISIBLE} (U+202E)`],
      [{ adminName: 'Ada\r\nAdmin' }, 'adminName: must not contain line breaks (U+000D, U+000A)'],
      [{ adminEmail: 'ada\u200B@acme.test' }, `adminEmail: ${INVISIBLE} (U+200B)`],
    ];
    for (const [change, message] of cases) {
      const refused = fails(
        await first.call('org.create', { ...ADMIN, ...change }),
        'INVALID_INPUT',
      );
      expect(refused.message).toBe(message);
    }
    expect(await temp.app.db.selectFrom('organization').selectAll().execute()).toEqual([]);
    ok(await first.call('org.create', ADMIN));
  });

  it('users.add refuses a name with U+202E, CR LF, U+200B, a soft hyphen or a tab, naming the field', async () => {
    const admin = await orgWithAdmin(temp);
    const before = await userEmails();
    const add = (change: Record<string, string>) =>
      admin.call('users.add', {
        email: 'mallory@acme.test',
        name: 'Mallory',
        role: 'member',
        ...change,
      });
    const cases: Array<[Record<string, string>, string]> = [
      [{ name: '\u202Enimda\u202C Admin' }, `name: ${INVISIBLE} (U+202E, U+202C)`],
      [{ name: 'Mallory\r\nBcc: all' }, 'name: must not contain line breaks (U+000D, U+000A)'],
      [{ name: 'Ada Admin\u200B' }, `name: ${INVISIBLE} (U+200B)`],
      [{ name: 'Ad\u00ADa Admin' }, `name: ${INVISIBLE} (U+00AD)`],
      [{ name: 'Ada\tAdmin' }, 'name: must not contain control characters (U+0009)'],
      [{ name: 'Ada\u2028Admin' }, 'name: must not contain line breaks (U+2028)'],
      [{ name: 'Ada\u2066Admin\u2069' }, `name: ${INVISIBLE} (U+2066, U+2069)`],
      [
        { name: 'Ada\u0085\u200FAdmin' },
        `name: must not contain line breaks (U+0085) or ${INVISIBLE.replace('must not contain ', '')} (U+200F)`,
      ],
      [{ email: 'ada\u200B@acme.test' }, `email: ${INVISIBLE} (U+200B)`],
      [{ email: 'ada@acme\u202E.test' }, `email: ${INVISIBLE} (U+202E)`],
    ];
    for (const [change, message] of cases) {
      expect(fails(await add(change), 'INVALID_INPUT').message).toBe(message);
    }
    expect(await userEmails()).toEqual(before);
    // What people do write is still taken: accents, other scripts, spaces at the ends trimmed.
    ok(await add({ name: '  Zoë Ångström-Łukasz 田中 أحمد  ' }));
    const added = await temp.app.db
      .selectFrom('users')
      .select('name')
      .where('email', '=', 'mallory@acme.test')
      .executeTakeFirstOrThrow();
    expect(added.name).toBe('Zoë Ångström-Łukasz 田中 أحمد');
  });

  it('users.import names the line (as an editor numbers it) and imports nothing', async () => {
    const admin = await orgWithAdmin(temp);
    const before = await userEmails();
    const csv = [
      'email,name,role',
      'mia@acme.test,Mia,member',
      'spoof@acme.test,\u202Enimda\u202C Admin,member',
      // A quoted CR LF: the record spans lines 4 and 5, and the lines after it keep their number.
      'sam@acme.test,"Sam\r\nBcc: everyone@acme.test",member',
      'zwsp\u200B@acme.test,Zed,member',
      'ok@acme.test,Fine,member',
    ].join('\n');
    const refused = fails(
      await admin.call('users.import', { csv, jobId: randomUUID() }),
      'INVALID_INPUT',
    );
    expect(refused.message.split('\n')).toEqual([
      'Nothing was imported. Fix these lines and try again:',
      `line 3: name "⟨U+202E⟩nimda⟨U+202C⟩ Admin": ${INVISIBLE} (U+202E, U+202C)`,
      'line 4: name "Sam⟨U+000D⟩⟨U+000A⟩Bcc: everyone@acme.test": must not contain line breaks (U+000D, U+000A)',
      `line 6: email "zwsp⟨U+200B⟩@acme.test": ${INVISIBLE} (U+200B)`,
    ]);
    expect(await userEmails()).toEqual(before);
  });

  describe('imported audit events', () => {
    let admin: Caller;
    beforeEach(async () => {
      admin = await orgWithAdmin(temp);
    });

    async function importFile(name: string, text: string) {
      const bytes = Buffer.from(text);
      const { uploadId } = ok<{ uploadId: string }>(
        await admin.call('uploads.begin', { fileName: name, size: bytes.length }),
      );
      ok(
        await admin.call('uploads.append', { uploadId, offset: 0, data: bytes.toString('base64') }),
      );
      return admin.call('audit.import', { uploadId, jobId: randomUUID() });
    }

    const event = (overrides: Record<string, unknown>) =>
      JSON.stringify({
        type: FAILED,
        timestamp: '2026-02-20T08:14:03.120Z',
        userId: 'u-1042',
        email: 'mia@acme.test',
        ip: '203.0.113.24',
        userAgent: 'Mozilla/5.0',
        method: 'totp',
        details: {},
        ...overrides,
      });

    it('refuses such characters in userId and email with file:line; nothing is imported', async () => {
      const count = async () =>
        Number(
          (
            await temp.app.db
              .selectFrom('audit_events')
              .select((eb) => eb.fn.countAll().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );
      const before = await count();
      const text = [
        event({}),
        event({ userId: 'admin\u200B@acme.test' }),
        event({ email: 'admin\u200B@acme.test' }),
        event({ userId: 'u-7\r\nu-8' }),
      ].join('\n');
      const refused = fails(await importFile('web-app.jsonl', text), 'INVALID_INPUT');
      expect(refused.message).toContain(
        `web-app.jsonl:2: userId "admin⟨U+200B⟩@acme.test" ${INVISIBLE} (U+200B)`,
      );
      expect(refused.message).toContain(
        `web-app.jsonl:3: email "admin⟨U+200B⟩@acme.test" ${INVISIBLE} (U+200B)`,
      );
      expect(refused.message).toContain(
        'web-app.jsonl:4: userId "u-7⟨U+000D⟩⟨U+000A⟩u-8" must not contain line breaks (U+000D, U+000A)',
      );
      expect(await count()).toBe(before);
    });

    it('keeps user agents and details from other systems as they were sent', async () => {
      const agent = 'Mozilla/5.0 \u202Eexe.cod\u202C (X11)\u200B';
      const details = { note: 'line one\u2028line two \u2066x\u2069' };
      ok(await importFile('web-app.jsonl', `${event({ userAgent: agent, details })}\n`));
      const page = ok<{ events: Array<{ userAgent: string | null; details: unknown }> }>(
        await admin.call('audit.query', { userId: 'u-1042' }),
      );
      expect(page.events.map((e) => [e.userAgent, e.details])).toEqual([[agent, details]]);
    });
  });
});
