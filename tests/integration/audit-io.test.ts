import { spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/main/store/database';
import { engineOf } from '../../src/main/store/engine';
import { runCliForTest as runCli } from '../support/cli-run';
import { createSharedDatabase, engineName } from '../support/engine';
import { makeTempDir } from '../support/temp-app';

const FAILED = 'com.alaigned.auth.2fa.verify.failed';
const SUCCESS = 'com.alaigned.auth.2fa.verify.success';

function event(i: number, overrides: Record<string, unknown> = {}) {
  return {
    type: i % 2 ? FAILED : SUCCESS,
    timestamp: new Date(Date.UTC(2026, 9, 1, 8, 0, i)).toISOString(),
    userId: `web-${i % 7}`,
    email: `person${i % 7}@acme.test`,
    ip: i % 3 ? `203.0.113.${i % 250}` : `2001:db8::${(i % 65535).toString(16)}`,
    userAgent: 'Mozilla/5.0 (X11; Linux x86_64)',
    method: i % 5 ? 'totp' : 'backup_code',
    details: { purpose: 'sign_in', n: i },
    ...overrides,
  };
}
const jsonl = (events: object[]) => events.map((e) => JSON.stringify(e)).join('\n') + '\n';

describe(`audit import, export and chain verification (org2fa CLI on real files, ${engineName})`, () => {
  let temp: ReturnType<typeof makeTempDir>;
  let db: string;
  let databases: Array<Awaited<ReturnType<typeof createSharedDatabase>>>;
  /** Every CLI run gets what the database needs (on PostgreSQL, the org's key file). */
  let env: Record<string, string>;
  const runCliForTest = (argv: string[], stdin = '') => runCli(argv, stdin, env);
  /** Another database for a round trip: a second file, or a second PostgreSQL database. */
  const newDatabase = async (name: string) => {
    const created = await createSharedDatabase(temp.dir, name);
    databases.push(created);
    return created.location;
  };
  beforeEach(async () => {
    temp = makeTempDir();
    databases = [];
    const shared = await createSharedDatabase(temp.dir);
    databases.push(shared);
    env = shared.env;
    db = shared.location;
    await runCliForTest(
      ['init', '--db', db, '--org', 'Acme', '--admin-email', 'a@acme.test', '--password-stdin'],
      'long enough password\n',
    );
  });
  afterEach(async () => {
    for (const database of databases) await database.drop();
    temp.cleanup();
  });

  const file = (name: string, text: string) => {
    const p = path.join(temp.dir, name);
    fs.writeFileSync(p, text);
    return p;
  };
  const count = async (where = sql`1 = 1`) => {
    const opened = await openDatabase(db);
    const row = await sql<{
      n: number;
    }>`SELECT COUNT(*) AS n FROM audit_events WHERE ${where}`.execute(opened.db);
    await opened.close();
    return Number(row.rows[0]!.n);
  };

  it('names file, line and field for each kind of bad line, and imports nothing then', async () => {
    const lines = [
      jsonl([event(1)]).trim(),
      JSON.stringify(event(2, { timestamp: 'yesterday at noon' })),
      JSON.stringify(event(3, { type: 'com.example.nope' })),
      JSON.stringify(event(4, { ip: '300.1.1.1' })),
      JSON.stringify(event(5, { email: 'not-an-email' })),
      JSON.stringify(event(6, { method: 'sms' })),
      JSON.stringify(event(7, { details: 'just text' })),
      JSON.stringify({ ...event(8), colour: 'blue' }),
      '{"type": "com.alaigned.auth.2fa.verify.failed",',
      JSON.stringify(event(10, { timestamp: 1790000000000 })),
      JSON.stringify(event(11, { userAgent: 'curl\u0000/8' })),
    ];
    const bad = file('events.jsonl', lines.join('\n') + '\n');
    const result = await runCliForTest(['import', '--db', db, bad]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'events.jsonl:2: timestamp "yesterday at noon" is not ISO 8601 or epoch ms',
    );
    expect(result.stderr).toContain(
      'events.jsonl:3: type "com.example.nope" is not a known event type',
    );
    expect(result.stderr).toContain(
      'events.jsonl:4: ip "300.1.1.1" is not an IPv4 or IPv6 address',
    );
    expect(result.stderr).toContain('events.jsonl:5: email "not-an-email" is not an email address');
    expect(result.stderr).toContain(
      'events.jsonl:6: method "sms" must be totp, backup_code or empty',
    );
    expect(result.stderr).toContain('events.jsonl:7: details "just text" is not a JSON object');
    expect(result.stderr).toContain('events.jsonl:8: unknown field "colour"');
    expect(result.stderr).toContain('events.jsonl:9: not valid JSON');
    expect(result.stderr).toContain(
      'events.jsonl:11: userAgent "curl\\u0000/8" contains a NUL character (U+0000)',
    );
    expect(result.stderr).toContain('Nothing was imported.');
    expect(await count(sql`source IS NOT NULL`)).toBe(0);

    const skipped = await runCliForTest(['import', '--db', db, '--skip-invalid', bad]);
    expect(skipped.code).toBe(0);
    expect(skipped.stdout).toContain('imported 2 events, 9 rejected');
    const rejected = fs
      .readFileSync(`${bad}.rejected.jsonl`, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rejected.map((r) => r.line)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 11]);
    expect(rejected[0]).toMatchObject({
      error: 'timestamp "yesterday at noon" is not ISO 8601 or epoch ms',
      raw: lines[1],
    });
  });

  it('refuses details and text past the caps, naming file, line, the size and the limit', async () => {
    // Written by hand: JSON.stringify itself overflows the stack on 20,000 levels.
    const nested = (depth: number) => `${'{"n":'.repeat(depth - 1)}{}${'}'.repeat(depth - 1)}`;
    const withDetails = (i: number, detailsJson: string) =>
      JSON.stringify(event(i, { details: 'DETAILS' })).replace('"DETAILS"', detailsJson);
    const lines = [
      JSON.stringify(event(1)),
      JSON.stringify(event(2, { details: { pad: 'x'.repeat(100_000) } })),
      withDetails(3, nested(20_000)),
      withDetails(4, `{"list":${'['.repeat(40)}${']'.repeat(40)}}`),
      JSON.stringify(event(5, { userAgent: 'u'.repeat(5_000) })),
      JSON.stringify(event(6, { userId: 'w'.repeat(201) })),
      JSON.stringify(event(7, { details: { pad: 'x'.repeat(16_384 - 10) } })),
    ];
    const bad = file('events.jsonl', lines.join('\n') + '\n');
    const result = await runCliForTest(['import', '--db', db, bad]);
    expect(result.code).toBe(1);
    // `{"pad":"…"}` is the pad and 10 bytes more.
    expect(result.stderr).toContain(
      'events.jsonl:2: details is 100,010 bytes; the limit is 16,384',
    );
    expect(result.stderr).toContain(
      'events.jsonl:3: details is nested 20,000 levels deep; the limit is 32',
    );
    expect(result.stderr).toContain(
      'events.jsonl:4: details is nested 41 levels deep; the limit is 32',
    );
    expect(result.stderr).toContain(
      'events.jsonl:5: userAgent is 5,000 characters; the limit is 1,000',
    );
    expect(result.stderr).toContain('events.jsonl:6: userId is 201 characters; the limit is 200');
    // Exactly at the cap is fine.
    expect(result.stderr).not.toContain('events.jsonl:7');
    expect(result.stderr).toContain('Nothing was imported.');
    expect(await count(sql`source IS NOT NULL`)).toBe(0);

    const skipped = await runCliForTest(['import', '--db', db, '--skip-invalid', bad]);
    expect(skipped.stdout).toContain('imported 2 events, 5 rejected');
    const rejected = fs
      .readFileSync(`${bad}.rejected.jsonl`, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rejected.map((r) => [r.line, r.error])).toEqual([
      [2, 'details is 100,010 bytes; the limit is 16,384'],
      [3, 'details is nested 20,000 levels deep; the limit is 32'],
      [4, 'details is nested 41 levels deep; the limit is 32'],
      [5, 'userAgent is 5,000 characters; the limit is 1,000'],
      [6, 'userId is 201 characters; the limit is 200'],
    ]);
    expect(rejected[1].raw).toBe(lines[2]);

    // CSV: details are the cell's JSON text, under the same caps.
    const csv = file(
      'web.csv',
      'type,timestamp,userId,email,ip,userAgent,method,details\n' +
        `${FAILED},1790000000000,w1,w1@acme.test,198.51.100.4,curl/8,totp,"{""pad"":""${'x'.repeat(20_000)}""}"\n` +
        `${FAILED},1790000000001,w1,w1@acme.test,198.51.100.4,curl/8,totp,"{""a"":${'['.repeat(20_000)}${']'.repeat(20_000)}}"\n`,
    );
    const refusedCsv = await runCliForTest(['import', '--db', db, csv]);
    expect(refusedCsv.code).toBe(1);
    expect(refusedCsv.stderr).toContain('web.csv:2: details is 20,010 bytes; the limit is 16,384');
    expect(refusedCsv.stderr).toContain(
      'web.csv:3: details is nested 20,001 levels deep; the limit is 32',
    );
  });

  it('refuses a line longer than the limit without holding it whole, naming its line, and reads on', async () => {
    const lines = [
      JSON.stringify(event(1)),
      JSON.stringify(event(2, { details: { pad: 'x'.repeat(2_000_000) } })),
      JSON.stringify(event(3, { ip: '300.1.1.1' })),
      JSON.stringify(event(4)),
    ];
    const bad = file('long.jsonl', lines.join('\r\n') + '\r\n');
    const result = await runCliForTest(['import', '--db', db, bad]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `long.jsonl:2: line is ${Buffer.byteLength(lines[1]!).toLocaleString('en-US')} bytes; the limit is 131,072`,
    );
    // The lines after it are still read and checked.
    expect(result.stderr).toContain('long.jsonl:3: ip "300.1.1.1" is not an IPv4 or IPv6 address');
    const skipped = await runCliForTest(['import', '--db', db, '--skip-invalid', bad]);
    expect(skipped.stdout).toContain('imported 2 events, 2 rejected');
    const rejected = fs
      .readFileSync(`${bad}.rejected.jsonl`, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rejected[0]).toEqual({
      line: 2,
      error: `line is ${Buffer.byteLength(lines[1]!).toLocaleString('en-US')} bytes; the limit is 131,072`,
      // Not kept: it is the one thing too large to hold.
      raw: '',
    });

    // CSV: a record past the limit stops the read (where the next record starts is unknowable).
    const csv = file(
      'long.csv',
      'type,timestamp,userId,email,ip,userAgent,method,details\n' +
        `${FAILED},1790000000000,w1,w1@acme.test,198.51.100.4,curl/8,totp,\n` +
        `${FAILED},1790000000001,w1,w1@acme.test,198.51.100.4,curl/8,totp,"{""pad"":""${'x'.repeat(300_000)}""}"\n`,
    );
    const refusedCsv = await runCliForTest(['import', '--db', db, csv]);
    expect(refusedCsv.code).toBe(1);
    expect(refusedCsv.stderr).toContain(
      'long.csv:3: not valid CSV (a record is more than 131,072 bytes, the limit); the rest of the file cannot be read',
    );
  });

  it('a 100 MB file without a line break is refused naming line 1, its memory never held', async () => {
    const big = path.join(temp.dir, 'one-line.jsonl');
    const out = fs.createWriteStream(big);
    out.write(`{"type":"${FAILED}","timestamp":1790000000000,"details":{"pad":"`);
    const megabyte = 'x'.repeat(1 << 20);
    for (let i = 0; i < 100; i++) if (!out.write(megabyte)) await once(out, 'drain');
    await new Promise((resolve) => out.end(resolve));
    const size = fs.statSync(big).size;

    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
    const result = await runCliForTest(['import', '--db', db, big]);
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `one-line.jsonl:1: line is ${size.toLocaleString('en-US')} bytes; the limit is 131,072`,
    );
    // Generous: holding the line would take at least its 100 MB (more, as a string).
    expect((peak - before) / 2 ** 20).toBeLessThan(50);
    fs.rmSync(big);
  }, 60_000);

  it('reads a CSV of ten million blank lines with flat memory, numbering the lines after them', async () => {
    const csv = path.join(temp.dir, 'blank.csv');
    const out = fs.createWriteStream(csv);
    // Blank lines before the header too: it is on line 3.
    out.write('\n\ntype,timestamp,userId,email,ip,userAgent,method,details\n');
    const blank = '\r\n'.repeat(1 << 19);
    for (let i = 0; i < 20; i++) if (!out.write(blank)) await once(out, 'drain');
    out.write(`${FAILED},1790000000000,w1,w1@acme.test,300.1.1.1,curl/8,totp,\n`);
    await new Promise((resolve) => out.end(resolve));

    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
    const result = await runCliForTest(['import', '--db', db, csv]);
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);

    expect(result.code).toBe(1);
    const line = 3 + 20 * (1 << 19) + 1;
    expect(result.stderr).toContain(
      `blank.csv:${line}: ip "300.1.1.1" is not an IPv4 or IPv6 address`,
    );
    // Generous: csv-parse alone would gather the 20 MB of blank lines into one string.
    expect((peak - before) / 2 ** 20).toBeLessThan(50);
    fs.rmSync(csv);
  }, 60_000);

  it('refuses bytes that are not UTF-8 as a named bad line, never importing them as U+FFFD', async () => {
    const good = JSON.stringify(event(1));
    const utf8 = (text: string) => Buffer.from(text, 'utf8');
    const lines = [
      utf8(good),
      // "Mozilla" with a lone 0xC3 (the first byte of é, cut off) in its user agent.
      Buffer.concat([
        utf8(`{"type":"${FAILED}","timestamp":1790000000000,"userAgent":"Mozilla`),
        Buffer.from([0xc3]),
        utf8('"}'),
      ]),
      Buffer.concat([
        utf8(`{"type":"${FAILED}","timestamp":1790000000001,"userAgent":"x`),
        Buffer.from([0xff, 0xfe]),
        utf8('"}'),
      ]),
      // Real é and a real U+FFFD are fine.
      utf8(JSON.stringify(event(4, { userAgent: 'Café \uFFFD' }))),
    ];
    const bad = path.join(temp.dir, 'latin.jsonl');
    fs.writeFileSync(bad, Buffer.concat(lines.flatMap((line) => [line, utf8('\n')])));
    const prefix = `{"type":"${FAILED}","timestamp":1790000000000,"userAgent":"Mozilla`;
    const result = await runCliForTest(['import', '--db', db, bad]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `latin.jsonl:2: not valid UTF-8 (byte 0xC3 at column ${prefix.length + 1})`,
    );
    expect(result.stderr).toMatch(/latin\.jsonl:3: not valid UTF-8 \(byte 0xFF at column \d+\)/);
    expect(result.stderr).toContain('Nothing was imported.');
    expect(await count(sql`source IS NOT NULL`)).toBe(0);

    const skipped = await runCliForTest(['import', '--db', db, '--skip-invalid', bad]);
    expect(skipped.stdout).toContain('imported 2 events, 2 rejected');
    const rejected = fs
      .readFileSync(`${bad}.rejected.jsonl`, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    // The bad bytes are shown as \xHH, so the rejected file says what they were.
    expect(rejected.map((r) => [r.line, r.raw])).toEqual([
      [2, `${prefix}\\xC3"}`],
      [3, `{"type":"${FAILED}","timestamp":1790000000001,"userAgent":"x\\xFF\\xFE"}`],
    ]);
    const opened = await openDatabase(db);
    const agents = await opened.db
      .selectFrom('audit_events')
      .select('user_agent')
      .where('source', 'is not', null)
      .orderBy('id')
      .execute();
    await opened.close();
    expect(agents.map((row) => row.user_agent)).toEqual([
      'Mozilla/5.0 (X11; Linux x86_64)',
      'Café \uFFFD',
    ]);

    // CSV, a bad byte on the second line of a record whose quoted cell spans two lines.
    const csv = path.join(temp.dir, 'latin.csv');
    fs.writeFileSync(
      csv,
      Buffer.concat([
        utf8('type,timestamp,userId,email,ip,userAgent,method,details\n'),
        utf8(`${FAILED},1790000000000,w1,w1@acme.test,198.51.100.4,"two\nline`),
        Buffer.from([0xe9]),
        utf8(' agent",totp,\n'),
        utf8(`${FAILED},1790000000001,w1,w1@acme.test,198.51.100.4,curl/8,totp,\n`),
      ]),
    );
    const refusedCsv = await runCliForTest(['import', '--db', db, csv]);
    expect(refusedCsv.code).toBe(1);
    expect(refusedCsv.stderr).toContain(
      'latin.csv:2: not valid UTF-8 (byte 0xE9 at column 5) on line 3',
    );
    expect(refusedCsv.stderr).not.toContain('latin.csv:4');
  });

  it('imports once: the same events again (in any file) add nothing; events keep their source and join the chain', async () => {
    const events = Array.from({ length: 50 }, (_, i) => event(i));
    const first = file('first.jsonl', jsonl(events));
    expect((await runCliForTest(['import', '--db', db, first])).stdout).toBe(
      `${first}: imported 50 events\n`,
    );
    const again = file('again.jsonl', jsonl([...events.slice(10, 20), event(99), event(99)]));
    expect((await runCliForTest(['import', '--db', db, again])).stdout).toBe(
      `${again}: imported 1 events, 11 already present\n`,
    );
    expect(await count(sql`source LIKE 'first.jsonl (imported %)'`)).toBe(50);
    expect(await count(sql`type = 'com.alaigned.audit.imported'`)).toBe(2);
    const verify = await runCliForTest(['audit', 'verify', '--db', db]);
    expect(verify.code).toBe(0);
    expect(verify.stdout).toMatch(/^audit trail intact: 55 events, head [0-9a-f]{64}\n$/);
  });

  it('accepts CSV with a header row, details as JSON text, epoch-ms timestamps', async () => {
    const csv = file(
      'web.csv',
      'type,timestamp,userId,email,ip,userAgent,method,details\n' +
        `${FAILED},1790000000000,w1,w1@acme.test,198.51.100.4,"Mozilla/5.0 (Windows, like Gecko)",totp,"{""reason"":""wrong_code""}"\n` +
        `${SUCCESS},2026-10-01T08:00:00+02:00,w1,w1@acme.test,::ffff:198.51.100.4,curl/8,,\n`,
    );
    expect((await runCliForTest(['import', '--db', db, csv])).stdout).toBe(
      `${csv}: imported 2 events\n`,
    );
    const exported = await runCliForTest([
      'export',
      '--db',
      db,
      '--format',
      'jsonl',
      '--email',
      'w1@acme.test',
    ]);
    const lines = exported.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    // Oldest first in chain order, which is the file's order.
    expect(lines.slice(0, 2)).toEqual([
      {
        type: FAILED,
        timestamp: '2026-09-21T14:13:20.000Z',
        userId: 'w1',
        email: 'w1@acme.test',
        ip: '198.51.100.4',
        userAgent: 'Mozilla/5.0 (Windows, like Gecko)',
        method: 'totp',
        details: { reason: 'wrong_code' },
      },
      {
        type: SUCCESS,
        timestamp: '2026-10-01T06:00:00.000Z',
        userId: 'w1',
        email: 'w1@acme.test',
        ip: '198.51.100.4',
        userAgent: 'curl/8',
        method: null,
        details: {},
      },
    ]);
    const badHeader = file('bad.csv', 'type,when,userId\nx,y,z\n');
    const refused = await runCliForTest(['import', '--db', db, badHeader]);
    expect(refused.stderr).toContain(
      'bad.csv:1: the header must be type,timestamp,userId,email,ip,userAgent,method,details',
    );
  });

  it('round-trips: JSON Lines export → import into a fresh database → export is identical', async () => {
    const source = file('orig.jsonl', jsonl(Array.from({ length: 120 }, (_, i) => event(i))));
    await runCliForTest(['import', '--db', db, source]);
    const filters = ['--type', FAILED, '--type', SUCCESS];
    const first = await runCliForTest(['export', '--db', db, '--format', 'jsonl', ...filters]);
    const exported = file('exported.jsonl', first.stdout);
    const other = await newDatabase('other');
    await runCliForTest(['import', '--db', other, exported]);
    const second = await runCliForTest(['export', '--db', other, '--format', 'jsonl', ...filters]);
    const events = (text: string) => text.trim().split('\n').slice(0, -1);
    expect(events(second.stdout)).toEqual(events(first.stdout));
    expect(events(first.stdout)).toHaveLength(120);
  });

  it('ends a JSON Lines export with a manifest an auditor can check the file against', async () => {
    await runCliForTest([
      'import',
      '--db',
      db,
      file('m.jsonl', jsonl(Array.from({ length: 30 }, (_, i) => event(i)))),
    ]);
    const out = path.join(temp.dir, 'report.jsonl');
    const result = await runCliForTest([
      'export',
      '--db',
      db,
      '--format',
      'jsonl',
      '--type',
      FAILED,
      '--since',
      '2026-10-01T08:00:10Z',
      '--out',
      out,
    ]);
    expect(result.stderr).toBe(`Exported 10 events to ${out}\n`);
    const lines = fs.readFileSync(out, 'utf8').trimEnd().split('\n');
    const { org2faExportManifest: manifest } = JSON.parse(lines.at(-1)!);
    const body = lines.slice(0, -1).join('\n') + '\n';
    expect(manifest).toMatchObject({
      format: 'jsonl',
      count: 10,
      firstTimestamp: '2026-10-01T08:00:11.000Z',
      lastTimestamp: '2026-10-01T08:00:29.000Z',
      filters: { types: [FAILED], since: '2026-10-01T08:00:10Z' },
      contentSha256: (await import('node:crypto')).createHash('sha256').update(body).digest('hex'),
    });
    const opened = await openDatabase(db);
    const head = await opened.db
      .selectFrom('audit_events')
      .select(['id', 'hash'])
      .where('type', '=', 'com.alaigned.audit.imported')
      .executeTakeFirstOrThrow();
    const exportedRow = await opened.db
      .selectFrom('audit_events')
      .selectAll()
      .where('type', '=', 'com.alaigned.audit.exported')
      .executeTakeFirstOrThrow();
    await opened.close();
    expect(manifest.chainHead).toEqual(head);
    expect(JSON.parse(exportedRow.details)).toMatchObject({
      count: 10,
      format: 'jsonl',
      contentSha256: manifest.contentSha256,
    });
  });

  it('exports RFC 4180 CSV with formula cells made inert, which imports back as the same events', async () => {
    const hostile = [
      event(1, { userAgent: '=HYPERLINK("http://evil.example","click")' }),
      event(2, { userAgent: '+1+1' }),
      event(3, { userAgent: '-2+3' }),
      event(4, { userAgent: '@SUM(A1:A9)' }),
      event(5, { userAgent: '\tleading tab' }),
      event(6, { userAgent: "'already quoted" }),
      event(7, { userAgent: 'line\nbreak, "quoted"' }),
    ];
    await runCliForTest(['import', '--db', db, file('hostile.jsonl', jsonl(hostile))]);
    const out = path.join(temp.dir, 'hostile.csv');
    await runCliForTest([
      'export',
      '--db',
      db,
      '--format',
      'csv',
      '--type',
      FAILED,
      '--type',
      SUCCESS,
      '--out',
      out,
    ]);
    const csv = fs.readFileSync(out, 'utf8');
    expect(csv.startsWith('type,timestamp,userId,email,ip,userAgent,method,details\r\n')).toBe(
      true,
    );
    for (const cell of [
      '\'=HYPERLINK(""http://evil.example"",""click"")',
      "'+1+1",
      "'-2+3",
      "'@SUM(A1:A9)",
      "'\tleading tab",
      "''already quoted",
      '"line\nbreak, ""quoted"""',
    ]) {
      expect(csv).toContain(cell);
    }
    // No cell starts with a live formula character.
    expect(csv.split(/\r\n/).slice(1).join('\n')).not.toMatch(/(^|,)[=+\-@]/m);
    expect(JSON.parse(fs.readFileSync(`${out}.manifest.json`, 'utf8'))).toMatchObject({
      format: 'csv',
      count: 7,
    });
    const other = await newDatabase('csv-back');
    expect((await runCliForTest(['import', '--db', other, out])).stdout).toBe(
      `${out}: imported 7 events\n`,
    );
    const back = await runCliForTest([
      'export',
      '--db',
      other,
      '--format',
      'jsonl',
      '--type',
      FAILED,
      '--type',
      SUCCESS,
    ]);
    const agents = back.stdout
      .trim()
      .split('\n')
      .slice(0, -1)
      .map((l) => JSON.parse(l).userAgent);
    expect(agents).toEqual(hostile.map((e) => e.userAgent));
  });

  it('audit verify names the first edited event and exits 1', async () => {
    await runCliForTest([
      'import',
      '--db',
      db,
      file('v.jsonl', jsonl(Array.from({ length: 10 }, (_, i) => event(i)))),
    ]);
    const opened = await openDatabase(db);
    await engineOf(opened.db).dropAppendOnlyTrigger(opened.db, 'update');
    await sql`UPDATE audit_events SET email = 'someone-else@acme.test' WHERE id = 7`.execute(
      opened.db,
    );
    await opened.close();
    const result = await runCliForTest(['audit', 'verify', '--db', db]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'org2fa: audit trail is NOT intact: Event 7 was changed after it was recorded: its content does not match its hash. (6 events before it are intact)\n',
    );
  });

  it('audit verify names an hour whose chart count was changed, and audit recount repairs it', async () => {
    await runCliForTest([
      'import',
      '--db',
      db,
      file('c.jsonl', jsonl(Array.from({ length: 10 }, (_, i) => event(i)))),
    ]);
    const opened = await openDatabase(db);
    const { hour, type } = await opened.db
      .selectFrom('audit_hourly_counts')
      .select(['hour', 'type'])
      .where('type', '=', SUCCESS)
      .executeTakeFirstOrThrow();
    await sql`UPDATE audit_hourly_counts SET n = n + 5 WHERE hour = ${hour} AND type = ${type}`.execute(
      opened.db,
    );
    await opened.close();
    const tampered = await runCliForTest(['audit', 'verify', '--db', db]);
    expect(tampered.code).toBe(1);
    expect(tampered.stderr).toMatch(
      /^org2fa: audit trail is NOT intact: The events are intact, but the hourly counts behind the charts are not: com\.alaigned\.auth\.2fa\.verify\.success in the hour from \S+ counts (\d+), the trail holds (\d+)\./,
    );
    const [, kept, actual] = /counts (\d+), the trail holds (\d+)/.exec(tampered.stderr)!;
    expect(Number(kept) - Number(actual)).toBe(5);

    const recount = await runCliForTest(['audit', 'recount', '--db', db]);
    expect(recount.code, recount.stderr).toBe(0);
    expect(recount.stdout).toMatch(
      /^hourly counts rebuilt from the trail: \d+ hour and type rows\n$/,
    );
    expect((await runCliForTest(['audit', 'verify', '--db', db])).code).toBe(0);
  });

  it('an import killed with SIGKILL midway leaves the database consistent and the chain intact', async () => {
    const big = file(
      'big.jsonl',
      jsonl(
        Array.from({ length: 150_000 }, (_, i) =>
          event(i, { details: { n: i, pad: 'x'.repeat(40) } }),
        ),
      ),
    );
    const before = await count();
    const child = spawn(
      process.execPath,
      [path.resolve('bin/org2fa.js'), 'import', '--db', db, big],
      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } },
    );
    let stderr = '';
    await new Promise<void>((resolve, reject) => {
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        if (/Importing .*: [1-9]/.test(stderr)) resolve();
      });
      child.on('exit', (code, signal) =>
        reject(
          new Error(`import finished before it could be killed (${code} ${signal}): ${stderr}`),
        ),
      );
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    expect(await count()).toBe(before);
    expect((await runCliForTest(['audit', 'verify', '--db', db])).code).toBe(0);
    expect((await runCliForTest(['import', '--db', db, big])).stdout).toBe(
      `${big}: imported 150000 events\n`,
    );
  }, 120_000);
});
