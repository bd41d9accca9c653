import { isAuditEventType } from '../../shared/audit-events';
import { EVENT_LIMITS, eventFileFields } from '../../shared/event-file';
import { hiddenCharacterProblem, visibleText } from '../../shared/text-safety';
import { canonicalJson, contentHashOf, jsonDepth } from './audit-chain';
import type { HistoricalEvent } from './audit.service';
import { normalizedIp } from '../network/ip-network';
import { grouped } from './line-splitter';

export type ParsedRecord =
  { ok: true; event: HistoricalEvent; contentHash: string } | { ok: false; error: string };

const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/**
 * Text no database here can hold as written: half of a UTF-16 surrogate pair on its own (JSON can
 * carry one, UTF-8 cannot) or U+0000 (PostgreSQL refuses it).
 */
// eslint-disable-next-line no-control-regex -- matching U+0000 is the point
const UNSTORABLE = /[\p{Cs}\u0000]/u;

function shown(value: unknown): string {
  // Nested too deep, JSON.stringify would overflow the stack (and such a value is wrong anyway).
  if (jsonDepth(value) > EVENT_LIMITS.detailsDepth) return Array.isArray(value) ? '[…]' : '{…}';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return `"${(text ?? String(value)).slice(0, 80)}"`;
}

/** The text fields' caps (README "The event file format"), in UTF-16 units as JS counts them. */
const TEXT_CAPS = [
  ['type', EVENT_LIMITS.typeLength],
  ['userId', EVENT_LIMITS.userIdLength],
  ['email', EVENT_LIMITS.emailLength],
  ['userAgent', EVENT_LIMITS.userAgentLength],
] as const;

/** The first text field longer than its cap, as an error; null if none. */
function overlongTextIn(record: Record<string, unknown>): string | null {
  for (const [field, cap] of TEXT_CAPS) {
    const value = record[field];
    if (typeof value === 'string' && value.length > cap)
      return `${field} is ${grouped(value.length)} characters; the limit is ${grouped(cap)}`;
  }
  return null;
}

/**
 * Details as they will be stored (canonical JSON), or why they cannot be: nested deeper or
 * larger than the caps. The depth is measured first, without recursion, so no nesting can
 * overflow the stack.
 */
function canonicalDetails(
  details: object,
): { ok: true; json: string } | { ok: false; error: string } {
  const depth = jsonDepth(details);
  if (depth > EVENT_LIMITS.detailsDepth) {
    return {
      ok: false,
      error: `details is nested ${grouped(depth)} levels deep; the limit is ${EVENT_LIMITS.detailsDepth}`,
    };
  }
  const json = canonicalJson(details);
  const bytes = Buffer.byteLength(json);
  if (bytes > EVENT_LIMITS.detailsBytes) {
    return {
      ok: false,
      error: `details is ${grouped(bytes)} bytes; the limit is ${grouped(EVENT_LIMITS.detailsBytes)}`,
    };
  }
  return { ok: true, json };
}

function optionalText(value: unknown): string | null | undefined {
  if (value === null || value === undefined || value === '') return null;
  return typeof value === 'string' ? value : undefined;
}

/** Why a text field cannot be stored as written. */
function unstorable(field: string, value: string): string {
  return value.includes('\u0000')
    ? `${field} ${JSON.stringify(value.slice(0, 80))} contains a NUL character (U+0000)`
    : `${field} ${shown(value)} is not valid Unicode text`;
}

/** The first of these text fields that cannot be stored as written, as an error; null if none. */
function unstorableTextIn(fields: { userId: unknown; email: unknown; userAgent: unknown }) {
  // Checked one by one: this runs for every imported event.
  if (typeof fields.userId === 'string' && UNSTORABLE.test(fields.userId))
    return unstorable('userId', fields.userId);
  if (typeof fields.email === 'string' && UNSTORABLE.test(fields.email))
    return unstorable('email', fields.email);
  if (typeof fields.userAgent === 'string' && UNSTORABLE.test(fields.userAgent))
    return unstorable('userAgent', fields.userAgent);
  return null;
}

/**
 * The times an export can write and import read back: ISO years 0000 to 9999. Beyond them
 * toISOString writes a signed six-digit year (`+010000-…`) the format does not admit, and past
 * year 275760 it throws.
 */
const FIRST_MS = Date.parse('0000-01-01T00:00:00.000Z');
const LAST_MS = Date.parse('9999-12-31T23:59:59.999Z');

/** Epoch milliseconds from an ISO 8601 time with a zone, or from epoch milliseconds. */
function parseTimestamp(value: unknown): number | null {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value > 0 ? value : null;
  if (typeof value !== 'string') return null;
  if (/^\d{1,16}$/.test(value)) {
    const ms = Number(value);
    return ms > 0 && Number.isSafeInteger(ms) ? ms : null;
  }
  if (!ISO_WITH_ZONE.test(value)) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}

/**
 * Checks one record of an event file and turns it into an event, or explains the first problem
 * in words that name the field and its value.
 */
export function parseEventRecord(
  record: Record<string, unknown>,
  source: string,
  fromCsv: boolean,
): ParsedRecord {
  for (const key of Object.keys(record)) {
    if (!(eventFileFields as readonly string[]).includes(key))
      return { ok: false, error: `unknown field "${key}"` };
  }
  const overlong = overlongTextIn(record);
  if (overlong) return { ok: false, error: overlong };
  const { type, timestamp, userId, email, ip, userAgent, method } = record;
  // Stored, such text would come back changed and fail the hash it was chained with.
  const invalidText = unstorableTextIn({ userId, email, userAgent });
  if (invalidText) return { ok: false, error: invalidText };
  if (typeof type !== 'string' || !isAuditEventType(type)) {
    return { ok: false, error: `type ${shown(type)} is not a known event type` };
  }
  const ts = parseTimestamp(timestamp);
  if (ts === null)
    return { ok: false, error: `timestamp ${shown(timestamp)} is not ISO 8601 or epoch ms` };
  if (ts < FIRST_MS || ts > LAST_MS)
    return { ok: false, error: `timestamp ${shown(timestamp)} is outside the years 0000 to 9999` };

  const user = optionalText(userId);
  if (user === undefined) return { ok: false, error: `userId ${shown(userId)} is not a user id` };
  // Who an event is about must read as what it is: `admin\u200B@acme.test` is not `admin@…`.
  // (User agents and details are kept as sent, and shown with such characters made visible.)
  const userProblem = user ? hiddenCharacterProblem(user) : null;
  if (user && userProblem)
    return { ok: false, error: `userId ${shown(visibleText(user))} ${userProblem}` };

  const mail = optionalText(email);
  const mailProblem = mail ? hiddenCharacterProblem(mail) : null;
  if (mail && mailProblem)
    return { ok: false, error: `email ${shown(visibleText(mail))} ${mailProblem}` };
  if (mail === undefined || (mail !== null && !EMAIL.test(mail))) {
    return { ok: false, error: `email ${shown(email)} is not an email address` };
  }

  const address = optionalText(ip);
  let normalized: string | null = null;
  if (address === undefined)
    return { ok: false, error: `ip ${shown(ip)} is not an IPv4 or IPv6 address` };
  if (address !== null) {
    normalized = normalizedIp(address);
    if (normalized === null)
      return { ok: false, error: `ip ${shown(ip)} is not an IPv4 or IPv6 address` };
  }

  const agent = optionalText(userAgent);
  if (agent === undefined)
    return { ok: false, error: `userAgent ${shown(userAgent)} is not a user agent` };

  const how = optionalText(method);
  if (how !== null && how !== 'totp' && how !== 'backup_code') {
    return { ok: false, error: `method ${shown(method)} must be totp, backup_code or empty` };
  }

  let details: unknown = record.details ?? {};
  if (fromCsv) {
    if (details === '') details = {};
    else if (typeof details === 'string') {
      try {
        details = JSON.parse(details);
      } catch {
        return { ok: false, error: `details ${shown(record.details)} is not a JSON object` };
      }
    }
  }
  if (typeof details !== 'object' || details === null || Array.isArray(details)) {
    return { ok: false, error: `details ${shown(record.details)} is not a JSON object` };
  }
  const stored = canonicalDetails(details);
  if (!stored.ok) return stored;

  const event: HistoricalEvent = {
    type,
    ts,
    userId: user,
    email: mail ? mail.toLowerCase() : null,
    ip: normalized,
    userAgent: agent,
    method: how,
    details: stored.json,
    source,
  };
  event.contentHash = contentHashOf(event);
  return { ok: true, event, contentHash: event.contentHash };
}
