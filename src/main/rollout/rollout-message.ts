import MailComposer from 'nodemailer/lib/mail-composer';
import type { FilledMessage } from '../../shared/rollout';
import { asOneLine } from '../../shared/text-safety';

/** A file name from a subject: lower-case words joined by dashes. */
export function fileNameFor(subject: string, extension: 'eml' | 'txt'): string {
  const slug = subject
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 80);
  return `${slug || 'message'}.${extension}`;
}

/**
 * The message as an RFC 5322 file (UTF-8, quoted-printable) that mail clients open as a draft
 * (X-Unsent): from the admin, to undisclosed recipients, so nobody's address is guessed.
 */
export async function buildEml(
  message: Pick<FilledMessage, 'subject' | 'body'>,
  from: string,
  date: Date,
): Promise<string> {
  const composer = new MailComposer({
    from,
    to: 'undisclosed-recipients:;',
    // One header line whatever the subject holds (nodemailer encodes it; this holds regardless).
    subject: asOneLine(message.subject),
    // RFC 5322 lines end in CRLF, the body's included.
    text: message.body.replace(/\r?\n/g, '\r\n'),
    date,
    textEncoding: 'quoted-printable',
    headers: { 'X-Unsent': '1' },
  });
  return (await composer.compile().build()).toString('utf8');
}

/**
 * The message as plain text: its subject line, a blank line, the body. The subject is put on one
 * line here whatever it holds, so no value can start a second header line (`Bcc: …`).
 */
export function buildText(message: Pick<FilledMessage, 'subject' | 'body'>): string {
  return `Subject: ${asOneLine(message.subject)}\n\n${message.body.endsWith('\n') ? message.body : `${message.body}\n`}`;
}
