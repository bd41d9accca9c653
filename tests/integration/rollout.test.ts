import { simpleParser } from 'mailparser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { localDateOf } from '../../src/shared/rollout';
import {
  addMember,
  auditRows,
  caller,
  enroll,
  fails,
  ok,
  orgWithAdmin,
  signIn,
  totpFor,
  type Caller,
} from '../support/console-driver';
import { ADMIN, createTempApp, type TempApp } from '../support/temp-app';

const DAY = 86_400_000;

interface Status {
  phase: string;
  enabled: boolean;
  required: boolean;
  announcedAt: string | null;
  enforcementDate: string | null;
  noticeDays: number | null;
  overrideReason: string | null;
  today: string;
  due: boolean;
  adoption: { enrolled: number; total: number };
}

describe('rollout: the guide’s three phases', () => {
  let temp: TempApp;
  let admin: Caller;
  let secret: string;
  beforeEach(async () => {
    temp = await createTempApp();
    admin = await orgWithAdmin(temp);
    ok(await admin.call('org.updateSettings', { enabled: true, required: false }));
    secret = (await enroll(temp, admin)).secret;
  });
  afterEach(() => temp.close());

  const inDays = (days: number) => localDateOf(temp.clock.now() + days * DAY);
  const status = async (c = admin) => ok<Status>(await c.call('rollout.get'));

  /** After days pass the session has expired: sign in again with a fresh code. */
  async function adminAgain(): Promise<Caller> {
    temp.clock.advance(31_000);
    const c = caller(temp.app, '198.51.100.1');
    ok(await c.call('auth.signIn', { email: ADMIN.adminEmail, password: ADMIN.password }));
    ok(await c.call('auth.verify', { code: totpFor(secret, temp.clock.now()) }));
    return c;
  }

  it('refuses less than 14 days of notice unless a reason is given, and audits the override', async () => {
    expect((await status()).phase).toBe('enable');
    const refused = fails(
      await admin.call('rollout.announce', { enforcementDate: inDays(13) }),
      'INVALID_INPUT',
    );
    expect(refused.message).toContain("at least 14 days' notice");
    expect(refused.message).toContain(`${inDays(13)} is 13 days away`);
    expect(refused.message).toContain(`Pick ${inDays(14)} or later`);
    expect(await auditRows(temp.app, 'com.alaigned.rollout.announced')).toHaveLength(0);

    const announced = ok<Status>(
      await admin.call('rollout.announce', { enforcementDate: inDays(14) }),
    );
    expect(announced).toMatchObject({
      phase: 'communicate',
      enforcementDate: inDays(14),
      noticeDays: 14,
      overrideReason: null,
      due: false,
    });

    // Moving the date closer needs a written reason, which the trail keeps.
    fails(
      await admin.call('rollout.announce', {
        enforcementDate: inDays(5),
        override: { reason: 'short' },
      }),
      'INVALID_INPUT',
    );
    const reason = 'Auditor finding AF-12 must be closed before the quarter ends';
    const overridden = ok<Status>(
      await admin.call('rollout.announce', { enforcementDate: inDays(5), override: { reason } }),
    );
    expect(overridden).toMatchObject({ noticeDays: 5, overrideReason: reason });
    const rows = await auditRows(temp.app, 'com.alaigned.rollout.announced');
    expect(rows.map((r) => r.details)).toEqual([
      { enforcementDate: inDays(14), noticeDays: 14 },
      {
        enforcementDate: inDays(5),
        noticeDays: 5,
        previousDate: inDays(14),
        noticeOverride: { reason },
      },
    ]);
    expect(rows[1]).toMatchObject({ email: ADMIN.adminEmail, ip: '198.51.100.1' });
    const phases = await auditRows(temp.app, 'com.alaigned.rollout.phase_changed');
    expect(phases.map((r) => r.details)).toEqual([
      { from: 'enable', to: 'communicate', cause: 'announced' },
    ]);

    // Never today or in the past, reason or not.
    fails(
      await admin.call('rollout.announce', { enforcementDate: inDays(0), override: { reason } }),
      'INVALID_INPUT',
    );
    fails(await admin.call('rollout.announce', { enforcementDate: '2026-02-30' }), 'INVALID_INPUT');
  });

  it('refuses to announce before 2FA is enabled, and to anyone but an admin', async () => {
    ok(await admin.call('org.updateSettings', { enabled: false, required: false }));
    const refused = fails(
      await admin.call('rollout.announce', { enforcementDate: inDays(20) }),
      'CONFLICT',
    );
    expect(refused.message).toMatch(/Enable two-factor authentication first/);
    const member = await addMember(temp, 'mia@acme.test');
    const mia = await signIn(temp, member.email, member.password);
    for (const name of ['rollout.get', 'rollout.preview', 'templates.list'])
      fails(await mia.call(name), 'FORBIDDEN');
    fails(await mia.call('rollout.announce', { enforcementDate: inDays(20) }), 'FORBIDDEN');
  });

  it('asks for confirmation on the date and never requires by itself; stepping back ends it', async () => {
    ok(await admin.call('rollout.announce', { enforcementDate: inDays(14) }));
    temp.clock.advance(13 * DAY);
    let c = await adminAgain();
    expect(await status(c)).toMatchObject({ phase: 'communicate', due: false, required: false });
    temp.clock.advance(DAY);
    c = await adminAgain();
    expect(await status(c)).toMatchObject({ phase: 'communicate', due: true, required: false });
    temp.clock.advance(3 * DAY);
    c = await adminAgain();
    // Days later, still asking, still not required.
    expect(await status(c)).toMatchObject({ due: true, required: false });
    expect(ok<{ required: boolean }>(await c.call('org.getSettings')).required).toBe(false);

    ok(await c.call('org.updateSettings', { enabled: true, required: true }));
    expect(await status(c)).toMatchObject({ phase: 'require', due: false, required: true });
    // Back from Require: the announcement no longer holds; the rollout starts over.
    ok(await c.call('org.updateSettings', { enabled: true, required: false }));
    expect(await status(c)).toMatchObject({ phase: 'enable', enforcementDate: null, due: false });
    const phases = await auditRows(temp.app, 'com.alaigned.rollout.phase_changed');
    expect(phases.map((r) => `${r.details.from}→${r.details.to} (${r.details.cause})`)).toEqual([
      'enable→communicate (announced)',
      'communicate→require (settings)',
      'require→enable (settings)',
    ]);
  });

  it('tracks adoption and the dry run as a member enrolls', async () => {
    const member = await addMember(temp, 'mia@acme.test');
    await addMember(temp, 'noah@acme.test');
    expect((await status()).adoption).toEqual({ enrolled: 1, total: 3 });
    const preview = ok<{ wouldBeRedirected: Array<{ email: string }> }>(
      await admin.call('rollout.preview'),
    );
    expect(preview.wouldBeRedirected.map((u) => u.email).sort()).toEqual([
      'mia@acme.test',
      'noah@acme.test',
    ]);

    temp.clock.advance(2 * DAY);
    const mia = await signIn(temp, member.email, member.password);
    await enroll(temp, mia);
    const c = await adminAgain();
    expect((await status(c)).adoption).toEqual({ enrolled: 2, total: 3 });
    const after = ok<{ wouldBeRedirected: Array<{ email: string }> }>(
      await c.call('rollout.preview'),
    );
    expect(after.wouldBeRedirected.map((u) => u.email)).toEqual(['noah@acme.test']);

    const history = ok<{ points: Array<{ date: string; enrolled: number }>; total: number }>(
      await c.call('rollout.adoptionHistory'),
    );
    expect(history.total).toBe(3);
    expect(history.points.at(-1)).toEqual({ date: inDays(0), enrolled: 2 });
    // Two weeks at least: nobody until Ada enrolled (two days ago), then Ada, then Mia today.
    expect(history.points).toHaveLength(14);
    const on = (days: number) => history.points.find((p) => p.date === inDays(days))?.enrolled;
    expect([on(-13), on(-3), on(-2), on(-1), on(0)]).toEqual([0, 0, 1, 1, 2]);
  });
});

describe('communication templates', () => {
  let temp: TempApp;
  let admin: Caller;
  beforeEach(async () => {
    temp = await createTempApp();
    admin = await orgWithAdmin(temp);
    ok(await admin.call('org.updateSettings', { enabled: true, required: false }));
    await enroll(temp, admin);
  });
  afterEach(() => temp.close());

  const render = async (input: Record<string, unknown>) =>
    ok<{ subject: string; body: string; missing: string[] }>(
      await admin.call('rollout.renderMessage', input),
    );
  const links = {
    guideLink: 'https://intranet.acme.test/2fa',
    supportContact: 'Zoë at it@acme.test',
  };

  it('fills the guide’s template, naming what is still missing', async () => {
    const templates = ok<{ templates: Array<{ id: string; builtIn: boolean; subject: string }> }>(
      await admin.call('templates.list'),
    );
    expect(templates.templates.map((t) => [t.id, t.builtIn])).toEqual([
      ['announcement', true],
      ['reminder', true],
    ]);
    expect(templates.templates[0]!.subject).toBe(
      'Two-Factor Authentication Required - Action Required',
    );

    // No date announced yet, no link: both named, and the text still shows where they go.
    const draft = await render({ guideLink: '', supportContact: links.supportContact });
    expect(draft.missing).toEqual(['date', 'guideLink']);
    expect(draft.body).toContain('starting {{date}}.');
    const refused = fails(
      await admin.call('templates.exportEml', { guideLink: '', supportContact: 'it@acme.test' }),
      'INVALID_INPUT',
    );
    expect(refused.message).toBe('Fill in {{date}}, {{guideLink}} before exporting the message.');

    const date = localDateOf(temp.clock.now() + 20 * DAY);
    ok(await admin.call('rollout.announce', { enforcementDate: date }));
    const filled = await render(links);
    expect(filled.missing).toEqual([]);
    const longDate = new Date(`${date}T12:00:00Z`).toLocaleDateString('en-US', {
      weekday: 'long',
      year: 'numeric',
      month: 'long',
      day: 'numeric',
      timeZone: 'UTC',
    });
    expect(filled.body).toContain(`for all users starting ${longDate}.`);
    expect(filled.body).toContain('- Setup Guide: https://intranet.acme.test/2fa');
    expect(filled.body).toContain('- Support: Contact Zoë at it@acme.test if you need assistance');
    expect(filled.body).toContain(
      'Supported Apps: Google Authenticator, Microsoft Authenticator, Authy,\n1Password, Bitwarden',
    );
    expect(filled.body).toContain('Acme Corp Security Team');

    const reminder = await render({ ...links, templateId: 'reminder' });
    expect(reminder.subject).toBe(
      `Reminder: set up two-factor authentication by ${longDate} (20 days left)`,
    );
  });

  it('exports a valid UTF-8 .eml and a .txt', async () => {
    ok(
      await admin.call('rollout.announce', {
        enforcementDate: localDateOf(temp.clock.now() + 15 * DAY),
      }),
    );
    const eml = ok<{ fileName: string; content: string }>(
      await admin.call('templates.exportEml', links),
    );
    expect(eml.fileName).toBe('two-factor-authentication-required-action-required.eml');
    // RFC 5322: CRLF line ends, no line over 998 characters.
    expect(eml.content.split('\r\n').every((line) => line.length <= 998)).toBe(true);
    expect(eml.content.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    const parsed = await simpleParser(eml.content);
    expect(parsed.subject).toBe('Two-Factor Authentication Required - Action Required');
    expect(parsed.from?.text).toBe(ADMIN.adminEmail);
    expect(parsed.headers.get('x-unsent')).toBe('1');
    expect(parsed.text).toContain('Contact Zoë at it@acme.test if you need assistance');
    expect(parsed.text).toContain('Dear Team,');

    const txt = ok<{ fileName: string; content: string }>(
      await admin.call('templates.exportEml', { ...links, format: 'txt' }),
    );
    expect(txt.fileName).toBe('two-factor-authentication-required-action-required.txt');
    expect(txt.content.startsWith('Subject: Two-Factor Authentication Required')).toBe(true);
  });

  it('saves edits and new templates (audited), reads the guide’s brackets, resets a default', async () => {
    ok(
      await admin.call('rollout.announce', {
        enforcementDate: localDateOf(temp.clock.now() + 30 * DAY),
      }),
    );
    const custom = ok<{ id: string; builtIn: boolean }>(
      await admin.call('templates.save', {
        name: 'Short note',
        subject: '2FA from [DATE]',
        body: 'Questions? Ask [support contact]. Guide: [link to two-factor-authentication guide]. {{teamName}}',
      }),
    );
    expect(custom.builtIn).toBe(false);
    const filled = await render({ ...links, templateId: custom.id });
    expect(filled.body).toBe(
      'Questions? Ask Zoë at it@acme.test. Guide: https://intranet.acme.test/2fa. {{teamName}}',
    );
    expect(filled.missing).toEqual(['teamName']);

    ok(
      await admin.call('templates.save', {
        id: 'announcement',
        name: 'Announcement',
        subject: 'Action required: 2FA',
        body: 'Starting {{date}}.',
      }),
    );
    expect((await render(links)).subject).toBe('Action required: 2FA');
    fails(
      await admin.call('templates.save', {
        name: 'x',
        subject: 'two\r\nBcc: everyone@acme.test',
        body: 'b',
      }),
      'INVALID_INPUT',
    );
    fails(
      await admin.call('templates.save', { id: 'nope', name: 'x', subject: 's', body: 'b' }),
      'NOT_FOUND',
    );
    ok(await admin.call('templates.reset', { id: 'announcement' }));
    expect((await render(links)).subject).toBe(
      'Two-Factor Authentication Required - Action Required',
    );
    const saved = await auditRows(temp.app, 'com.alaigned.rollout.template_saved');
    expect(saved.map((r) => r.details)).toEqual([
      { templateId: custom.id, name: 'Short note', created: true },
      { templateId: 'announcement', name: 'Announcement', created: false },
      { templateId: 'announcement', name: 'Announcement (from the admin guide)', reset: true },
    ]);
  });
});
