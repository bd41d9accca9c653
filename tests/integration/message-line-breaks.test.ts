import { simpleParser } from 'mailparser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { localDateOf } from '../../src/shared/rollout';
import { fails, ok, orgWithAdmin, type Caller } from '../support/console-driver';
import { engineName } from '../support/engine';
import { createTempApp, type TempApp } from '../support/temp-app';

const DAY = 86_400_000;

/** Every line-break kind, by the code point the refusal names. */
const LINE_BREAKS: Array<[string, string]> = [
  ['\r', 'U+000D'],
  ['\n', 'U+000A'],
  ['\v', 'U+000B'],
  ['\f', 'U+000C'],
  ['\u0085', 'U+0085'],
  ['\u2028', 'U+2028'],
  ['\u2029', 'U+2029'],
];

/**
 * One rule for line breaks in a message's subject and in the placeholder values that fill it
 * (README "Rollout"; docs/security.md): refused at the router for both file formats, and a
 * message file never gets a second header line, whatever a stored value holds.
 */
describe(`line breaks in message subjects and placeholder values (${engineName})`, () => {
  let temp: TempApp;
  let admin: Caller;
  let subjectTemplate: string;
  beforeEach(async () => {
    temp = await createTempApp();
    admin = await orgWithAdmin(temp);
    ok(await admin.call('org.updateSettings', { enabled: true, required: false }));
    ok(
      await admin.call('rollout.announce', {
        enforcementDate: localDateOf(temp.clock.now() + 20 * DAY),
      }),
    );
    subjectTemplate = ok<{ id: string }>(
      await admin.call('templates.save', {
        name: 'Help in the subject',
        subject: '{{orgName}}: 2FA from {{date}}, help: {{supportContact}}',
        body: 'Guide: {{guideLink}}\nHelp: {{supportContact}}',
      }),
    ).id;
  });
  afterEach(() => temp.close());

  const links = { guideLink: 'https://intranet.acme.test/2fa', supportContact: 'help@acme.test' };

  it('templates.exportEml refuses every line-break kind in supportContact and guideLink, .txt and .eml alike', async () => {
    for (const format of ['txt', 'eml'] as const) {
      for (const [lineBreak, label] of LINE_BREAKS) {
        const hostile = `help@acme.test${lineBreak}Bcc: victim@evil.example`;
        const refused = fails(
          await admin.call('templates.exportEml', {
            ...links,
            supportContact: hostile,
            templateId: subjectTemplate,
            format,
          }),
          'INVALID_INPUT',
        );
        expect(refused.message, `${format} ${label}`).toBe(
          `supportContact: must not contain line breaks (${label})`,
        );
        const link = fails(
          await admin.call('templates.exportEml', {
            ...links,
            guideLink: `https://intranet.acme.test/2fa${lineBreak}Bcc: x@evil.example`,
            format,
          }),
          'INVALID_INPUT',
        );
        expect(link.message, `${format} ${label}`).toBe(
          `guideLink: must not contain line breaks (${label})`,
        );
      }
    }
    // The preview follows the same rule: a value refused for the file is refused for the card.
    expect(
      fails(
        await admin.call('rollout.renderMessage', { ...links, supportContact: 'a\u2028b' }),
        'INVALID_INPUT',
      ).message,
    ).toBe('supportContact: must not contain line breaks (U+2028)');
  });

  it('templates.save refuses U+2028, U+0085 and every other line-break kind in the subject', async () => {
    for (const [lineBreak, label] of LINE_BREAKS) {
      const refused = fails(
        await admin.call('templates.save', {
          name: 'Sneaky',
          subject: `2FA${lineBreak}Bcc: everyone@acme.test`,
          body: 'b',
        }),
        'INVALID_INPUT',
      );
      expect(refused.message, label).toBe(
        `subject: must be one line: it holds line breaks (${label})`,
      );
    }
    const templates = ok<{ templates: Array<{ name: string }> }>(
      await admin.call('templates.list'),
    );
    expect(templates.templates.map((t) => t.name)).not.toContain('Sneaky');
    // The body is the message: its lines are the author's.
    ok(
      await admin.call('templates.save', {
        name: 'Lines',
        subject: 'One line',
        body: 'a\r\nb\u2028c',
      }),
    );
  });

  it('a stored value with line breaks (an older org name) never makes a second header line', async () => {
    // As an older database holds it: written past the router's rule.
    await temp.app.db
      .updateTable('organization')
      .set({ name: 'Acme\r\nBcc: victim@evil.example\u2028X' })
      .execute();
    const input = { ...links, templateId: subjectTemplate };

    const txt = ok<{ content: string }>(
      await admin.call('templates.exportEml', { ...input, format: 'txt' }),
    );
    const [header] = txt.content.split('\n\n');
    expect(header).toMatch(
      /^Subject: Acme Bcc: victim@evil\.example X: 2FA from .+, help: help@acme\.test$/,
    );
    expect(header).not.toMatch(/[\r\n\v\f\u0085\u2028\u2029]/);

    const eml = ok<{ content: string }>(
      await admin.call('templates.exportEml', { ...input, format: 'eml' }),
    );
    const parsed = await simpleParser(eml.content);
    expect(parsed.headers.has('bcc')).toBe(false);
    expect(parsed.subject).toMatch(/^Acme Bcc: victim@evil\.example X: 2FA from /);

    const preview = ok<{ subject: string }>(await admin.call('rollout.renderMessage', input));
    expect(preview.subject).toBe(parsed.subject);
  });
});
