import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportEvents } from '../../src/main/audit/export-events';
import { importEventFile, type ImportResult } from '../../src/main/audit/import-events';
import { DomainError } from '../../src/main/domain-error';
import { verifyAuditChain } from '../../src/main/audit/audit-verify';
import { eventFileFields } from '../../src/shared/event-file';
import { createTempApp, TEST_CLIENT, type TempApp } from '../support/temp-app';
import { csvLine, edgeEvent, jsonlLine, lineBreaks, validEvent, type Line } from './event-lines';

let temp: TempApp;
let fileCounter = 0;

beforeAll(async () => {
  temp = await createTempApp();
});
afterAll(() => temp.close());

/** Imports a file exactly as `org2fa import` does (same function, same dependencies). */
function importFile(file: string, into: TempApp = temp): Promise<ImportResult> {
  return importEventFile(
    { db: into.app.db, clock: into.clock, audit: into.app.services.audit },
    { file, client: TEST_CLIENT, actor: null },
  );
}

function writeFile(name: string, content: string, into: TempApp = temp): string {
  const dir = path.join(into.dir, `run-${++fileCounter}`);
  fs.mkdirSync(dir);
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
}

/** Size, head id and head hash of the trail: any partial import moves at least one. */
async function trailState(of: TempApp = temp) {
  const { rows } = await sql<{ n: number; head: number | null; hash: string | null }>`
    SELECT COUNT(*) AS n, MAX(id) AS head,
      (SELECT hash FROM audit_events ORDER BY id DESC LIMIT 1) AS hash
    FROM audit_events
  `.execute(of.app.db);
  return rows[0];
}

/** The refusal, or a failure naming what happened instead. */
async function refusalOf(run: Promise<ImportResult>): Promise<DomainError> {
  try {
    const result = await run;
    throw new Error(`imported a file with a bad line: ${JSON.stringify(result)}`);
  } catch (error) {
    // Anything but a DomainError (a parser's own error, a TypeError) reaches users as a crash.
    if (!(error instanceof DomainError)) throw error;
    return error;
  }
}

const fileStem = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9 ._-]{0,20}$/);
/** Line ends as editors on each platform write them, mixed within one file. */
const lineEnd = fc.constantFrom('\n', '\r\n', '\r');

/** A refused file: code, the first message line names file and first bad line, nothing written. */
async function expectRefused(file: string, name: string, lines: Line[], firstLineOf: number[]) {
  const firstBad = lines.findIndex((line) => line.bad);
  const before = await trailState();
  const refusal = await refusalOf(importFile(file));
  expect(refusal.code).toBe('INVALID_INPUT');
  const [firstMessageLine] = refusal.message.split('\n');
  expect(firstMessageLine?.startsWith(`${name}:${firstLineOf[firstBad]}: `), refusal.message).toBe(
    true,
  );
  expect(refusal.message.endsWith('Nothing was imported.')).toBe(true);
  expect(await trailState()).toEqual(before);
}

/** An accepted file: every good line imported or recognised, and the import itself audited. */
async function expectImported(file: string, lines: Line[]) {
  const events = lines.filter((line) => line.text !== '' && line.text.trim() !== '').length;
  const before = await trailState();
  const result = await importFile(file);
  expect(result.rejected).toBe(0);
  expect(result.imported + result.duplicates).toBe(events);
  expect((await trailState())?.n).toBe((before?.n ?? 0) + result.imported + 1);
}

describe('audit import of hostile files', () => {
  it('JSON Lines: refuses a file with a bad line, naming file and first bad line, writing nothing', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(jsonlLine, lineEnd), { minLength: 1, maxLength: 12 }),
        fileStem,
        fc.boolean(),
        fc.boolean(),
        async (lines, stem, withBom, finalLineEnd) => {
          const name = `${stem}.jsonl`;
          let text = withBom ? '\uFEFF' : '';
          // Counted in the file as written: a CR ending one line and an empty line after it
          // make one CRLF, as for any reader.
          const firstLineOf: number[] = [];
          lines.forEach(([entry, end], i) => {
            firstLineOf.push(1 + lineBreaks(text));
            text += entry.text + (i < lines.length - 1 || finalLineEnd ? end : '');
          });
          const file = writeFile(name, text);
          // The file's own byte order mark is no stray character: the README format allows it.
          const entries = lines.map(([entry], i) =>
            i === 0 && !withBom && entry.bomFirst ? { ...entry, bad: false } : entry,
          );
          if (entries.some((entry) => entry.bad))
            await expectRefused(file, name, entries, firstLineOf);
          else await expectImported(file, entries);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('CSV: refuses a file with a bad row, naming file and the row’s first line, writing nothing', async () => {
    const csvFile = fc
      .tuple(
        fc.shuffledSubarray([...eventFileFields], { minLength: eventFileFields.length }),
        fc.constantFrom('\n', '\r\n'),
      )
      .chain(([order, end]) =>
        fc.record({
          order: fc.constant(order),
          end: fc.constant(end),
          header: fc.oneof(
            { weight: 8, arbitrary: fc.constant({ text: order.join(','), bad: false }) },
            {
              weight: 1,
              arbitrary: fc.constantFrom(
                { text: order.slice(1).join(','), bad: true },
                { text: [...order, 'colour'].join(','), bad: true },
                { text: order.join(';'), bad: true },
              ),
            },
          ),
          rows: fc.array(csvLine(order), { minLength: 1, maxLength: 10 }),
          withBom: fc.boolean(),
          finalLineEnd: fc.boolean(),
        }),
      );
    await fc.assert(
      fc.asyncProperty(csvFile, fileStem, async (csv, stem) => {
        const name = `${stem}.csv`;
        const all = [csv.header, ...csv.rows];
        const firstLineOf: number[] = [];
        let line = 1;
        for (const entry of all) {
          firstLineOf.push(line);
          line += lineBreaks(entry.text) + 1;
        }
        const text =
          (csv.withBom ? '\uFEFF' : '') +
          all.map((entry) => entry.text).join(csv.end) +
          (csv.finalLineEnd ? csv.end : '');
        const file = writeFile(name, text);
        if (all.some((entry) => entry.bad)) await expectRefused(file, name, all, firstLineOf);
        else await expectImported(file, csv.rows);
      }),
      { numRuns: 150 },
    );
  });
});

describe('audit import and export together', () => {
  it('whatever the import accepts, its CSV and JSON Lines exports import back as the same events', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(validEvent, edgeEvent), { minLength: 1, maxLength: 8 }),
        fc.constantFrom('csv', 'jsonl') as fc.Arbitrary<'csv' | 'jsonl'>,
        async (events, format) => {
          // A trail of its own per run, so one run's accepted event never haunts the next.
          const own = await createTempApp();
          try {
            const lines = events.map((e) => JSON.stringify(e)).join('\n');
            try {
              await importFile(writeFile('source.jsonl', lines, own), own);
            } catch (error) {
              // Refusing an edge timestamp is fine; only what was accepted must survive the trip.
              if (error instanceof DomainError && error.code === 'INVALID_INPUT') return;
              throw error;
            }

            const exported = writeFile(`export.${format}`, '', own);
            const out = fs.createWriteStream(exported);
            try {
              await exportEvents(
                { db: own.app.db, audit: own.app.services.audit },
                {
                  format,
                  filters: {},
                  out,
                  client: TEST_CLIENT,
                  actor: null,
                  now: own.clock.now(),
                },
              );
            } finally {
              await new Promise((resolve) => out.end(resolve));
            }

            // What was accepted is stored as it was hashed: the chain still verifies.
            expect(await verifyAuditChain(own.app.db)).toMatchObject({ ok: true });

            // Content-based de-duplication: an exact round trip adds no event and rejects none.
            const before = await trailState(own);
            const again = await importFile(exported, own);
            expect(again).toMatchObject({ imported: 0, rejected: 0 });
            expect(again.duplicates).toBe((before?.n ?? 0) - 1); // all but the export's own event
          } finally {
            await own.close();
          }
        },
      ),
      { numRuns: 60 },
    );
    // Sixty runs, each on a database of its own: on PostgreSQL a new database (copied from a
    // migrated template) and its drop cost about 0.3 s of each run on this machine, so this
    // test's work is longer than the default budget on a busy machine.
  }, 120_000);
});
