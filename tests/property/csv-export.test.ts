import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readEventFile } from '../../src/main/audit/event-reader';
import { exportEvents } from '../../src/main/audit/export-events';
import { canonicalJson } from '../../src/main/audit/audit-chain';
import type { HistoricalEvent } from '../../src/main/audit/audit.service';
import { writeTransaction } from '../../src/main/store/transaction';
import { toCsv } from '../../src/renderer/src/lib/csv';
import { neutralizeFormula } from '../../src/shared/csv-safety';
import { eventFileFields } from '../../src/shared/event-file';
import { createTempApp, TEST_CLIENT, type TempApp } from '../support/temp-app';

/** README: "a leading ' before = + - @, tab or carriage return" (OWASP CSV injection). */
const FORMULA_TRIGGERS = ['=', '+', '-', '@', '\t', '\r'];

function startsFormula(cell: string): boolean {
  return FORMULA_TRIGGERS.some((trigger) => cell.startsWith(trigger));
}

/** The documented guard taken off: one quote before a trigger, or before the guard's own quote. */
function unguard(cell: string): string {
  return cell.startsWith("'") && (startsFormula(cell.slice(1)) || cell[1] === "'")
    ? cell.slice(1)
    : cell;
}

/**
 * U+0000 cannot reach the trail: the router and the importer refuse it (PostgreSQL cannot store
 * it; tests/integration/nul-text.test.ts). Its neighbour keeps the control-character cases.
 */
const storable = (text: string) => text.replaceAll('\u0000', '\u0001');

/** Text as hostile as a cell can get: formula starts, guard quotes, CSV syntax, any code point. */
const cellText = fc
  .oneof(
    fc.string({ unit: 'binary' }),
    fc.string({ unit: 'grapheme' }),
    fc
      .tuple(
        fc.constantFrom(
          ...FORMULA_TRIGGERS,
          "'",
          "''",
          "'=",
          '"',
          ',',
          '\n',
          '\r\n',
          ' =',
          '\uFEFF=',
        ),
        fc.string({ unit: 'binary', maxLength: 20 }),
      )
      .map(([lead, rest]) => lead + rest),
  )
  .map(storable);
const optionalCellText = fc.option(cellText, { nil: null });

const YEAR_0000 = Date.parse('0000-01-01T00:00:00.000Z');
const YEAR_9999_END = Date.parse('9999-12-31T23:59:59.999Z');

/** An event straight into the trail: every text column free, as a buggy or hostile source might. */
const storedEvent: fc.Arbitrary<HistoricalEvent> = fc.record({
  type: cellText,
  ts: fc.integer({ min: YEAR_0000, max: YEAR_9999_END }),
  userId: optionalCellText,
  email: optionalCellText,
  ip: optionalCellText,
  userAgent: optionalCellText,
  method: fc.constantFrom(null, 'totp' as const, 'backup_code' as const),
  details: fc.dictionary(cellText, cellText, { maxKeys: 3 }).map((d) => canonicalJson(d)),
  source: fc.constant('property test'),
});

describe('CSV export of the audit trail', () => {
  /** The real export, as `org2fa export --format csv` and the console's export job run it. */
  async function exportCsv(temp: TempApp): Promise<string> {
    const file = path.join(temp.dir, 'export.csv');
    const out = fs.createWriteStream(file);
    try {
      await exportEvents(
        { db: temp.app.db, audit: temp.app.services.audit },
        {
          format: 'csv',
          filters: {},
          out,
          client: TEST_CLIENT,
          actor: null,
          now: temp.clock.now(),
        },
      );
    } finally {
      await new Promise((resolve) => out.end(resolve));
    }
    return file;
  }

  /** The stored columns of the exported events (ids up to the head when the export began). */
  async function storedRows(temp: TempApp, count: number): Promise<string[][]> {
    const rows = await temp.app.db
      .selectFrom('audit_events')
      .select(['type', 'ts', 'user_id', 'email', 'ip', 'user_agent', 'method', 'details'])
      .orderBy('id')
      .limit(count)
      .execute();
    return rows.map((row) => [
      row.type,
      new Date(row.ts).toISOString(),
      row.user_id ?? '',
      row.email ?? '',
      row.ip ?? '',
      row.user_agent ?? '',
      row.method ?? '',
      row.details,
    ]);
  }

  it('gives back every field of every event after taking off the guard, and no cell starts a formula', async () => {
    // One trail for all runs (a fresh database per run costs PostgreSQL a third of a second):
    // each run appends its events and the export of the whole trail must give back every one.
    const temp = await createTempApp();
    try {
      await fc.assert(
        fc.asyncProperty(fc.array(storedEvent, { minLength: 1, maxLength: 5 }), async (events) => {
          await writeTransaction(temp.app.db, (trx) =>
            temp.app.services.audit.appendHistorical(trx, events),
          );
          const file = await exportCsv(temp);
          const [header, ...rows] = parse(fs.readFileSync(file)) as string[][];

          expect(header).toEqual([...eventFileFields]);
          for (const cell of rows.flat())
            expect(startsFormula(cell), JSON.stringify(cell)).toBe(false);
          expect(rows.map((row) => row.map(unguard))).toEqual(await storedRows(temp, rows.length));

          // The console's own import reads the same values back (it takes the guard off itself).
          const read: unknown[] = [];
          for await (const record of readEventFile(file)) read.push(record.record ?? record.error);
          expect(read).toEqual(
            rows.map((row) =>
              Object.fromEntries(eventFileFields.map((f, j) => [f, unguard(row[j]!)])),
            ),
          );
        }),
        { numRuns: 100 },
      );
    } finally {
      await temp.close();
    }
  });
});

describe('CSV downloads in the console (toCsv) and the formula guard', () => {
  it('neutralizeFormula never leaves a formula start and comes off again exactly', () => {
    fc.assert(
      fc.property(cellText, (text) => {
        const guarded = neutralizeFormula(text);
        expect(startsFormula(guarded)).toBe(false);
        expect(unguard(guarded)).toBe(text);
      }),
      { numRuns: 2000 },
    );
  });

  it('toCsv round-trips any cells through csv-parse, guarded and nothing else changed', () => {
    const header = ['email', 'name', 'status'];
    fc.assert(
      fc.property(fc.array(fc.tuple(cellText, cellText, cellText), { maxLength: 8 }), (rows) => {
        const text = toCsv(header, rows);
        const [parsedHeader, ...parsedRows] = parse(text, {
          relax_column_count: false,
        }) as string[][];
        expect(parsedHeader).toEqual(header);
        expect(parsedRows.length).toBe(rows.length);
        parsedRows.forEach((row, i) => {
          for (const cell of row) expect(startsFormula(cell), JSON.stringify(cell)).toBe(false);
          expect(row.map(unguard)).toEqual(rows[i]);
        });
      }),
      { numRuns: 300 },
    );
  });
});
