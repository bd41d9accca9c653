/**
 * The guide's rollout: Phase 1 Enable (optional), Phase 2 Communicate (at least two weeks'
 * notice), Phase 3 Require; and its communication template, with named placeholders.
 */

import { asOneLine } from './text-safety';

export const rolloutPhases = ['enable', 'communicate', 'require'] as const;
export type RolloutPhase = (typeof rolloutPhases)[number];

/** The guide: "Provide at least 2 weeks notice". Less needs a written reason, which is audited. */
export const MIN_NOTICE_DAYS = 14;

/** Calendar dates are `YYYY-MM-DD`, in the console's local time zone. */
export const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

const DAY_MS = 86_400_000;

/** The local calendar date of a moment. */
export function localDateOf(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** Whether `YYYY-MM-DD` names a real day (not 2026-02-30). */
export function isCalendarDate(text: string): boolean {
  if (!DATE_PATTERN.test(text)) return false;
  const [y, m, d] = text.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** Whole days from one calendar date to another (negative if `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  const utc = (text: string) => {
    const [y, m, d] = text.split('-').map(Number) as [number, number, number];
    return Date.UTC(y, m - 1, d);
  };
  return Math.round((utc(to) - utc(from)) / DAY_MS);
}

/** "Monday, December 14, 2026": how a date reads in a message to users. */
export function longDate(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d)).toLocaleDateString('en-US', {
    weekday: 'long',
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    timeZone: 'UTC',
  });
}

export const templatePlaceholders = [
  'date',
  'daysLeft',
  'guideLink',
  'supportContact',
  'orgName',
] as const;
export type TemplatePlaceholder = (typeof templatePlaceholders)[number];

/** What each placeholder stands for, for the editor's help text. */
export const placeholderDescriptions: Record<TemplatePlaceholder, string> = {
  date: 'the enforcement date (Phase 2)',
  daysLeft: 'days from today until the enforcement date',
  guideLink: "the link to the users' setup guide",
  supportContact: 'who to contact for help',
  orgName: "the organization's name",
};

/** The guide's own bracketed placeholders, read as ours. */
const guideAliases: Record<string, TemplatePlaceholder> = {
  DATE: 'date',
  'link to two-factor-authentication guide': 'guideLink',
  'support contact': 'supportContact',
};

const PLACEHOLDER =
  /\{\{\s*([A-Za-z]+)\s*\}\}|\[(DATE|link to two-factor-authentication guide|support contact)\]/g;

export type PlaceholderValues = Partial<Record<TemplatePlaceholder, string>>;

export interface FilledMessage {
  subject: string;
  body: string;
  /** Placeholders left unfilled (no value, or a name that is not a placeholder), in order. */
  missing: string[];
}

/**
 * Fills `{{name}}` (and the guide's `[DATE]`-style) placeholders; unfilled ones stay visible.
 * The filled subject is one line by construction: any line break in it becomes a space.
 */
export function fillTemplate(
  template: { subject: string; body: string },
  values: PlaceholderValues,
): FilledMessage {
  const missing: string[] = [];
  const fill = (text: string) =>
    text.replace(PLACEHOLDER, (whole, named: string | undefined, alias: string | undefined) => {
      const name = named ?? guideAliases[alias!]!;
      const value = (templatePlaceholders as readonly string[]).includes(name)
        ? values[name as TemplatePlaceholder]?.trim()
        : undefined;
      if (value) return value;
      if (!missing.includes(name)) missing.push(name);
      return whole;
    });
  // A subject is one header line whatever a value holds (the org name comes from stored data).
  return { subject: asOneLine(fill(template.subject)), body: fill(template.body), missing };
}

export const templateKinds = ['announcement', 'reminder'] as const;
export type TemplateKind = (typeof templateKinds)[number];

export interface MessageTemplate {
  id: string;
  name: string;
  kind: TemplateKind;
  subject: string;
  body: string;
  /** One of the two defaults (editable; they cannot be deleted). */
  builtIn: boolean;
  updatedAt: string | null;
}

const SUPPORTED_APPS =
  'Google Authenticator, Microsoft Authenticator, Authy,\n1Password, Bitwarden';

/** The guide's communication template, its brackets as named placeholders. */
export const ANNOUNCEMENT_TEMPLATE = {
  id: 'announcement',
  name: 'Announcement (from the admin guide)',
  kind: 'announcement',
  subject: 'Two-Factor Authentication Required - Action Required',
  body: `Dear Team,

To enhance the security of our organization's data, we will be requiring
two-factor authentication (2FA) for all users starting {{date}}.

What this means:
- You'll need an authenticator app on your smartphone
- After entering your password, you'll enter a 6-digit code from your app
- This protects your account even if your password is compromised

Action Required:
1. Install an authenticator app (Google Authenticator, Microsoft Authenticator,
or Authy)
2. Set up 2FA in your Account Settings before {{date}}
3. Save your backup codes in a secure location

Resources:
- Setup Guide: {{guideLink}}
- Supported Apps: ${SUPPORTED_APPS}
- Support: Contact {{supportContact}} if you need assistance

Starting {{date}}, you'll be prompted to set up 2FA when you log in if you
haven't already done so.

Thank you for helping us keep our organization secure.

{{orgName}} Security Team
`,
} as const;

/** For users not yet enrolled, with the days left. */
export const REMINDER_TEMPLATE = {
  id: 'reminder',
  name: 'Reminder for users not yet enrolled',
  kind: 'reminder',
  subject: 'Reminder: set up two-factor authentication by {{date}} ({{daysLeft}} days left)',
  body: `Dear colleague,

Two-factor authentication (2FA) will be required for every {{orgName}} account
starting {{date}}, {{daysLeft}} days from now. Our records show your account does
not have it set up yet.

It takes about five minutes:
1. Install an authenticator app (Google Authenticator, Microsoft Authenticator,
or Authy)
2. Set up 2FA in your Account Settings
3. Save your backup codes in a secure location

Resources:
- Setup Guide: {{guideLink}}
- Supported Apps: ${SUPPORTED_APPS}
- Support: Contact {{supportContact}} if you need assistance

From {{date}}, you'll be taken to the setup page when you sign in until 2FA is set up.

{{orgName}} Security Team
`,
} as const;

export const defaultTemplates = [ANNOUNCEMENT_TEMPLATE, REMINDER_TEMPLATE] as const;

/**
 * The phase follows from the settings and the announcement: required is Phase 3, announced (and
 * not yet required) Phase 2, anything before that Phase 1.
 */
export function rolloutPhaseOf(
  settings: { enabled: boolean; required: boolean },
  announced: boolean,
): RolloutPhase {
  if (settings.required) return 'require';
  return settings.enabled && announced ? 'communicate' : 'enable';
}
