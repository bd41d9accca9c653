import fc from 'fast-check';

/** Strings an attacker or a broken client would try: prototype keys, control bytes, lookalikes. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    '__proto__',
    'constructor',
    'prototype',
    'toString',
    'hasOwnProperty',
    '\u0000',
    'a\u0000b',
    '\uFEFF',
    '\u202Eexe.txt',
    '\uD800',
    "' OR 1=1 --",
    '"; DROP TABLE users; --',
    '<script>alert(1)</script>',
    '=HYPERLINK("http://evil.test")',
    '../../../../etc/passwd',
    '%00',
    '${7*7}',
    'NaN',
    'Infinity',
    '-0',
    '1e309',
  ),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({ maxLength: 5 }).map((s) => s.repeat(20_000)),
);

/** Numbers at the edges of what JSON, SQLite and zod's int checks can hold. */
export const hostileNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(
    0,
    -0,
    -1,
    NaN,
    Infinity,
    -Infinity,
    Number.MAX_VALUE,
    Number.MIN_VALUE,
    Number.MAX_SAFE_INTEGER,
    Number.MAX_SAFE_INTEGER + 2,
    -Number.MAX_SAFE_INTEGER,
    2 ** 31,
    2 ** 63,
    1e308,
    0.5,
  ),
  fc.double(),
  fc.integer(),
);

/** Any JS value, including the exotic ones a structured clone or a bug could hand the router. */
export const anyValue: fc.Arbitrary<unknown> = fc.anything({
  maxDepth: 4,
  withBigInt: true,
  withBoxedValues: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withNullPrototype: true,
  withObjectString: true,
  withSparseArray: true,
  withTypedArray: true,
});

/** Values plausible for some contract field, so generated inputs sometimes pass validation. */
export const plausibleFieldValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.boolean(),
  fc.integer({ min: -2, max: 120 }),
  fc.uuid(),
  fc.constantFrom(
    'ada@acme.test',
    'mallory@acme.test',
    'a long enough password 1',
    'correct horse battery staple', // the test admin's: lets proofs and sign-ins succeed
    '123456',
    '2026-03-01T00:00:00Z',
    '2026-04-01',
    '203.0.113.7',
    '203.0.113.0/24',
    'totp',
    'backup_code',
    'member',
    'site_admin',
    'enterprise_admin',
    'everyone',
    'admins',
    'csv',
    'jsonl',
    'hour',
    'day',
    'user',
    'ip',
    'announcement',
    'Subject line',
    'events.jsonl',
  ),
  fc.string({ maxLength: 12 }),
  fc.constant({}),
  fc.constant([]),
  fc.constant(null),
);

/** A deeply nested value, to probe recursion limits in validation and logging. */
export const deeplyNested: fc.Arbitrary<unknown> = fc
  .integer({ min: 100, max: 5_000 })
  .map((depth) => {
    let value: unknown = 'leaf';
    for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { nested: value };
    return value;
  });
