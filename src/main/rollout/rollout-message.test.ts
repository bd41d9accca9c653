import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { fillTemplate } from '../../shared/rollout';
import { buildEml, buildText } from './rollout-message';

/** Every line-break kind a mail client or a text viewer may honour. */
const LINE_BREAKS = {
  CR: '\r',
  LF: '\n',
  CRLF: '\r\n',
  VT: '\v',
  FF: '\f',
  NEL: '\u0085',
  LS: '\u2028',
  PS: '\u2029',
};
const ANY_LINE_BREAK = /[\r\n\v\f\u0085\u2028\u2029]/;

const body = 'Dear Team,\nSet up 2FA.';

describe('message files: the subject is one header line whatever it holds', () => {
  for (const [kind, lineBreak] of Object.entries(LINE_BREAKS)) {
    const subject = `2FA help: help@acme.test${lineBreak}Bcc: victim@evil.example`;

    it(`.txt with ${kind} in the subject has exactly one header line`, () => {
      const text = buildText({ subject, body });
      const [header, ...rest] = text.split('\n\n');
      expect(header).toBe('Subject: 2FA help: help@acme.test Bcc: victim@evil.example');
      expect(header).not.toMatch(ANY_LINE_BREAK);
      expect(rest.join('\n\n')).toBe(`${body}\n`);
    });

    it(`.eml with ${kind} in the subject parses back to one Subject and no Bcc`, async () => {
      const eml = await buildEml({ subject, body }, 'ada@acme.test', new Date(0));
      const headerBlock = eml.slice(0, eml.indexOf('\r\n\r\n'));
      // Unfolded (a continuation line starts with white space), one line per header field.
      const fields = headerBlock.split(/\r\n(?![ \t])/);
      expect(fields.filter((field) => /^subject:/i.test(field))).toHaveLength(1);
      expect(fields.filter((field) => /^bcc:/i.test(field))).toEqual([]);
      const parsed = await simpleParser(eml);
      expect(parsed.subject).toBe('2FA help: help@acme.test Bcc: victim@evil.example');
      expect(parsed.bcc).toBeUndefined();
      expect(parsed.headers.has('bcc')).toBe(false);
      expect(parsed.text?.trim()).toBe(body);
    });
  }

  it('a filled subject is one line even when a stored value (the org name) holds line breaks', () => {
    const filled = fillTemplate(
      { subject: '{{orgName}}: set up 2FA by {{date}}', body: 'From {{orgName}}' },
      { orgName: 'Acme\r\nBcc: victim@evil.example\u2028X', date: 'Monday' },
    );
    expect(filled.subject).toBe('Acme Bcc: victim@evil.example X: set up 2FA by Monday');
    // The body is the message: its lines are the author's and stay.
    expect(filled.body).toBe('From Acme\r\nBcc: victim@evil.example\u2028X');
  });
});
