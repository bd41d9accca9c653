import fc from 'fast-check';
import { auditEventTypes, isAuditEventType } from '../../src/shared/audit-events';
import { eventFileFields } from '../../src/shared/event-file';
import { withoutHiddenCharacters } from '../../src/shared/text-safety';

/** One event as an event file holds it (README "The event file format"). */
export type EventRecord = Record<string, unknown>;

/** Times an export can write back: years 1970 to 9999 (a four-digit ISO year). */
const MAX_TIMESTAMP_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

const epochMs = fc.integer({ min: 1, max: MAX_TIMESTAMP_MS });

/** ISO 8601 with a zone, in the shapes the README shows (`Z`, `+01:00`, with or without ms). */
const isoWithZone = fc
  .tuple(
    fc.integer({ min: Date.UTC(1971, 0, 1), max: Date.UTC(9998, 0, 1) }),
    fc.integer({ min: -14 * 60, max: 14 * 60 }),
    fc.boolean(),
  )
  .map(([ms, offsetMinutes, withMs]) => {
    const local = new Date(ms + offsetMinutes * 60_000).toISOString().slice(0, withMs ? 23 : 19);
    if (offsetMinutes === 0) return `${local}Z`;
    const sign = offsetMinutes < 0 ? '-' : '+';
    const abs = Math.abs(offsetMinutes);
    return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  });

const emailAddress = fc
  .tuple(
    fc.stringMatching(/^[a-zA-Z0-9._%+=-]{1,20}$/),
    fc.stringMatching(/^[a-z0-9-]{1,15}$/),
    fc.constantFrom('test', 'example', 'co.uk'),
  )
  .map(([local, domain, tld]) => `${local}@${domain}.${tld}`);

/**
 * Free text as it arrives from other systems: any code point but U+0000 (which the import
 * refuses: it is among the broken fields below), formula starts included.
 */
const freeText = (maxLength: number) =>
  fc
    .oneof(
      fc.string({ unit: 'binary', maxLength }),
      fc
        .tuple(
          fc.constantFrom('=', '+', '-', '@', '\t', '\r', '\r\n', '\n', "'", "'=", '"', ','),
          fc.string({ maxLength }),
        )
        .map(([lead, rest]) => lead + rest),
    )
    .map((text) => text.replaceAll('\u0000', ''))
    // The import measures text in UTF-16 units (JS string length).
    .filter((text) => text.length <= maxLength);

/**
 * Anything the README's timestamp rule admits, out to its edges: epoch ms up to the largest
 * safe integer, four-digit ISO years 0000 to 9999 with any zone offset up to ±23:59.
 */
const edgeTimestamp = fc.oneof(
  fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
  fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }).map(String),
  fc
    .tuple(
      fc.oneof(fc.integer({ min: 0, max: 9999 }), fc.constantFrom(0, 1, 9998, 9999)),
      fc.constantFrom('01-01T00:00', '12-31T23:59', '06-15T12:00'),
      fc.constantFrom('Z', '+23:59', '-23:59', '+14:00', '-12:00', '+0530'),
    )
    .map(([year, rest, zone]) => `${String(year).padStart(4, '0')}-${rest}${zone}`),
);

/** Events the import must accept. */
export const validEvent: fc.Arbitrary<EventRecord> = fc.record({
  type: fc.constantFrom(...auditEventTypes),
  timestamp: fc.oneof(epochMs, epochMs.map(String), isoWithZone),
  // Who an event is about is free text too, but shown as written: nothing invisible in it.
  userId: fc.option(
    freeText(200)
      .map(withoutHiddenCharacters)
      .filter((s) => s !== ''),
    { nil: null },
  ),
  email: fc.option(emailAddress, { nil: null }),
  ip: fc.option(fc.oneof(fc.ipV4(), fc.ipV6()), { nil: null }),
  userAgent: fc.option(freeText(300), { nil: null }),
  method: fc.constantFrom(null, 'totp', 'backup_code'),
  details: fc.dictionary(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 2 }), {
    maxKeys: 4,
  }),
});

/** Events at the edges of the format (timestamps, broken Unicode): accepted or refused. */
export const edgeEvent: fc.Arbitrary<EventRecord> = fc.oneof(
  fc.tuple(validEvent, edgeTimestamp).map(([event, timestamp]) => ({ ...event, timestamp })),
  fc
    .tuple(validEvent, fc.constantFrom('\uD800', 'agent \uDFFF'))
    .map(([event, userAgent]) => ({ ...event, userAgent })),
);

/** Values that break one field, each against a rule the README states for that field. */
const brokenField: fc.Arbitrary<[string, unknown]> = fc.oneof(
  fc.tuple(
    fc.constant('type'),
    fc.oneof(
      fc.string().filter((s) => !isAuditEventType(s)),
      fc.constantFrom(null, 5, true, {}, ['com.alaigned.auth.signin.success']),
    ),
  ),
  fc.tuple(
    fc.constant('timestamp'),
    fc.constantFrom(
      'yesterday at noon',
      '',
      '2026-11-02',
      '2026-11-02T08:14:03',
      '2026-13-02T08:14:03Z',
      '02/11/2026 08:14',
      0,
      -1,
      1.5,
      1e20,
      Number.MAX_SAFE_INTEGER + 1,
      null,
      true,
      {},
    ),
  ),
  fc.tuple(fc.constant('userId'), fc.constantFrom(42, true, {}, ['u'], 'u'.repeat(201))),
  fc.tuple(
    fc.constant('email'),
    fc.constantFrom(
      'not-an-email',
      'a@b',
      'a b@acme.test',
      '@acme.test',
      7,
      {},
      `${'a'.repeat(250)}@acme.test`,
    ),
  ),
  fc.tuple(
    fc.constant('ip'),
    fc.constantFrom('300.1.1.1', '1.2.3', 'not-an-ip', '::g', '1.2.3.4/24', 12, {}),
  ),
  fc.tuple(
    fc.constant('userAgent'),
    fc.oneof(
      fc.integer({ min: 1001, max: 200_000 }).map((n) => 'x'.repeat(n)),
      fc.constantFrom(5, {}, ['Mozilla']),
    ),
  ),
  fc.tuple(fc.constant('method'), fc.constantFrom('sms', 'TOTP', 'backup code', 1, {})),
  // Lone surrogates: JSON can carry them (as \uD800), UTF-8 and so the database cannot.
  fc.tuple(
    fc.constantFrom('userId', 'email', 'userAgent'),
    fc.constantFrom('\uD800', 'x\uDFFF', '\uDC00@acme.test'),
  ),
  // NUL: PostgreSQL cannot store it, so the import refuses it on every engine.
  fc.tuple(
    fc.constantFrom('userId', 'email', 'userAgent'),
    fc.constantFrom('\u0000', 'curl\u0000/8', 'a\u0000@acme.test'),
  ),
  // Invisible, direction-changing and control characters: who an event is about must read true.
  fc.tuple(
    fc.constantFrom('userId', 'email'),
    fc.constantFrom(
      'admin\u200B@acme.test',
      '\u202Enimda\u202C@acme.test',
      'ad\u00ADmin@acme.test',
      'u-1\r\nBcc',
      'u\u2028x@acme.test',
      '\uFEFFu-7',
    ),
  ),
  fc.tuple(fc.constant('details'), fc.constantFrom('just text', 5, true, [1, 2], '[]')),
  // Past the caps (README): more than 32 levels deep, more than 16,384 bytes as stored. As a
  // value in JSON Lines, as its JSON text in CSV (in JSON Lines a string is not an object: bad too).
  fc.tuple(
    fc.constant('details'),
    fc
      .tuple(fc.integer({ min: 33, max: 3_000 }), fc.boolean(), fc.boolean())
      .map(([depth, arrays, asText]) => {
        const text = arrays
          ? `{"a":${'['.repeat(depth - 1)}${']'.repeat(depth - 1)}}`
          : `${'{"a":'.repeat(depth - 1)}{}${'}'.repeat(depth - 1)}`;
        return asText ? text : (JSON.parse(text) as unknown);
      }),
  ),
  fc.tuple(
    fc.constant('details'),
    fc
      .tuple(fc.integer({ min: 16_385 - 10, max: 100_000 }), fc.boolean())
      .map(([length, asText]) => {
        const details = { pad: 'é'.repeat(Math.ceil(length / 2)) };
        return asText ? JSON.stringify(details) : details;
      }),
  ),
  fc.tuple(
    fc
      .string({ minLength: 1, maxLength: 10 })
      .filter((key) => !eventFileFields.some((f) => f === key)),
    fc.jsonValue({ maxDepth: 1 }),
  ),
);

export const eventWithBrokenField: fc.Arbitrary<EventRecord> = fc
  .tuple(validEvent, brokenField)
  .map(([event, [field, value]]) => ({ ...event, [field]: value }));

/** A JSON Lines line and whether the import must refuse it. */
export interface Line {
  text: string;
  bad: boolean;
  /** Starts with a byte order mark: bad, except as the very start of the file. */
  bomFirst?: boolean;
}

const noLineBreak = (text: string) => !/[\r\n]/.test(text);

/** Lines for a JSON Lines file: good events, blank lines, and every kind of bad line. */
export const jsonlLine: fc.Arbitrary<Line> = fc.oneof(
  { weight: 6, arbitrary: validEvent.map((e) => ({ text: JSON.stringify(e), bad: false })) },
  { weight: 1, arbitrary: fc.constantFrom('', ' ', '\t').map((text) => ({ text, bad: false })) },
  {
    weight: 2,
    arbitrary: eventWithBrokenField.map((e) => ({ text: JSON.stringify(e), bad: true })),
  },
  {
    weight: 1,
    arbitrary: fc
      .jsonValue()
      .filter((v) => typeof v !== 'object' || v === null || Array.isArray(v))
      .map((v) => ({ text: JSON.stringify(v), bad: true })),
  },
  {
    // Truncated: every strict prefix of an object's JSON lacks its closing brace.
    weight: 1,
    arbitrary: validEvent
      .map((e) => JSON.stringify(e))
      .chain((text) => fc.integer({ min: 1, max: text.length - 1 }).map((n) => text.slice(0, n)))
      .filter((text) => text.trim() !== '' && noLineBreak(text))
      .map((text) => ({ text, bad: true })),
  },
  {
    // A raw NUL is never valid JSON, wherever it lands.
    weight: 1,
    arbitrary: validEvent
      .map((e) => JSON.stringify(e))
      .chain((text) =>
        fc
          .integer({ min: 0, max: text.length })
          .map((n) => `${text.slice(0, n)}\0${text.slice(n)}`),
      )
      .map((text) => ({ text, bad: true })),
  },
  {
    // Not at the start of the file, a byte order mark is just a stray character.
    weight: 1,
    arbitrary: validEvent.map((e) => ({
      text: `\uFEFF${JSON.stringify(e)}`,
      bad: true,
      bomFirst: true,
    })),
  },
  {
    weight: 1,
    arbitrary: fc
      .string({ unit: 'binary', minLength: 1, maxLength: 80 })
      .filter((text) => noLineBreak(text) && text.trim() !== '' && !text.trim().startsWith('{'))
      .map((text) => ({ text, bad: true })),
  },
  {
    // A CSV row in a JSON Lines file.
    weight: 1,
    arbitrary: validEvent
      .map((e) => csvRow(eventFileFields.map((f) => cellText(e[f]))))
      .filter(noLineBreak)
      .map((text) => ({ text, bad: true })),
  },
);

/** How a CSV cell holds a field (README: details as its JSON text, null as empty). */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** RFC 4180, written here rather than with the app's writer: quotes only where needed. */
export function csvRow(cells: readonly string[], quoteAll = false): string {
  return cells
    .map((cell) => (quoteAll || /[",\r\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell))
    .join(',');
}

/** The text with its line breaks counted as editors count them (CRLF, LF or a lone CR). */
export function lineBreaks(text: string): number {
  return text.match(/\r\n|\r|\n/g)?.length ?? 0;
}

/** Rows for a CSV file whose header lists the fields in `order`. */
export function csvLine(order: readonly string[]): fc.Arbitrary<Line> {
  const cellsOf = (event: EventRecord) => order.map((field) => cellText(event[field]));
  // A CSV file is UTF-8 text: a lone surrogate written to it arrives as U+FFFD, valid text.
  const brokenCsvField = brokenField.filter(
    ([field, value]) =>
      typeof value === 'string' && order.includes(field) && !/\p{Cs}/u.test(value),
  );
  return fc.oneof(
    {
      weight: 6,
      arbitrary: fc
        .tuple(validEvent, fc.boolean())
        .map(([e, quoteAll]) => ({ text: csvRow(cellsOf(e), quoteAll), bad: false })),
    },
    { weight: 1, arbitrary: fc.constant({ text: '', bad: false }) },
    {
      weight: 2,
      arbitrary: fc.tuple(validEvent, brokenCsvField).map(([e, [field, value]]) => ({
        text: csvRow(cellsOf({ ...e, [field]: value })),
        bad: true,
      })),
    },
    {
      // Too few or too many columns.
      weight: 1,
      arbitrary: fc
        .tuple(validEvent, fc.integer({ min: 1, max: order.length + 3 }))
        .filter(([, n]) => n !== order.length)
        .map(([e, n]) => {
          const cells = cellsOf(e);
          while (cells.length < n) cells.push('extra');
          return csvRow(cells.slice(0, n));
        })
        .filter((text) => text !== '')
        .map((text) => ({ text, bad: true })),
    },
    {
      // A quote opened and never closed: the parser reads on to the end of the file.
      weight: 1,
      arbitrary: validEvent.map((e) => ({ text: `"${csvRow(cellsOf(e).slice(1))}`, bad: true })),
    },
    {
      // A quote inside an unquoted cell, or text after a closing quote.
      weight: 1,
      arbitrary: fc
        .tuple(validEvent, fc.constantFrom('com"alaigned', '"com"x'))
        .map(([e, cell]) => ({ text: [cell, ...cellsOf(e).slice(1)].join(','), bad: true })),
    },
  );
}
