import fs from 'node:fs';
import path from 'node:path';
import type { TransformCallback } from 'node:stream';
import { CsvError, Parser } from 'csv-parse';
import {
  EVENT_LIMITS,
  eventFileFields,
  MANIFEST_KEY,
  type EventFileFormat,
} from '../../shared/event-file';
import { grouped, LineSplitter, Utf8LineCheck, type SplitLine } from './line-splitter';

export interface RawRecord {
  /** 1-based line of the record in the file (its first line, for multi-line CSV records). */
  line: number;
  /** The record's text, for the rejected-lines file. */
  raw: string;
  record?: Record<string, unknown>;
  /** A line that is not even a record (bad JSON, wrong column count). */
  error?: string;
}

export function formatOf(file: string): EventFileFormat {
  const extension = path.extname(file).toLowerCase();
  return extension === '.csv' ? 'csv' : 'jsonl';
}

/**
 * Streams the records of an event file with their line numbers, reading in chunks so memory
 * stays flat whatever the file's size: a line or record longer than EVENT_LIMITS.lineBytes is
 * refused without being held whole, and text that is not UTF-8 is a bad line, never silently
 * replaced. `onBytes` reports progress through the file.
 */
export async function* readEventFile(
  file: string,
  options: {
    format?: EventFileFormat;
    signal?: AbortSignal;
    onBytes?(bytesRead: number): void;
  } = {},
): AsyncGenerator<RawRecord> {
  const input = fs.createReadStream(file, { highWaterMark: 1 << 20 });
  try {
    if ((options.format ?? formatOf(file)) === 'jsonl') {
      const splitter = new LineSplitter(EVENT_LIMITS.lineBytes);
      let bytes = 0;
      for await (const chunk of input as AsyncIterable<Buffer>) {
        bytes += chunk.length;
        options.onBytes?.(bytes);
        for (const line of splitter.push(chunk)) {
          if (options.signal?.aborted) throw new Error('Cancelled');
          const record = jsonlRecord(line);
          if (record) yield record;
        }
      }
      for (const line of splitter.end()) {
        const record = jsonlRecord(line);
        if (record) yield record;
      }
      return;
    }
    let bytes = 0;
    input.on('data', (chunk) => {
      bytes += chunk.length;
      options.onBytes?.(bytes);
    });
    const parser = input.pipe(
      new CheckedCsvParser({
        bom: true,
        relax_column_count: true,
        raw: true,
        // A quoted cell never closed would otherwise gather the rest of the file into one field.
        max_record_size: EVENT_LIMITS.lineBytes,
        skip_empty_lines: true,
      }),
    );
    const notUtf8 = parser.utf8.badLines;
    // The first entry of notUtf8 not yet passed by the records read.
    let nextBad = 0;
    const blankRuns = parser.blankLines.runs;
    let nextRun = 0;
    let blankLinesSoFar = 0;
    let header: string[] | null = null;
    // Line breaks the parser has read so far, counted here: csv-parse's own line count takes a
    // CRLF inside a quoted cell for two lines.
    let breaksSoFar = 0;
    /** The file's line at this many line breaks into what the parser read, blank lines counted. */
    const lineAt = (breaks: number) => {
      while (nextRun < blankRuns.length && blankRuns[nextRun]!.breaksBefore <= breaks)
        blankLinesSoFar += blankRuns[nextRun++]!.lines;
      return 1 + breaks + blankLinesSoFar;
    };
    for await (const item of parser as AsyncIterable<CsvRecord | CsvError>) {
      if (options.signal?.aborted) throw new Error('Cancelled');
      if (item instanceof CsvError) {
        // A quoting error stops the parser: name the record it is in, like any other bad line.
        const raw = typeof item.raw === 'string' ? item.raw : '';
        yield {
          line: lineAt(breaksSoFar + lineBreaks(leadingBreaks(raw))),
          raw: raw.trimEnd(),
          error: `not valid CSV (${csvProblem(item)}); the rest of the file cannot be read`,
        };
        return;
      }
      const { record: cells, raw } = item;
      // Blank lines the parser skipped itself come first in `raw`.
      const leading = leadingBreaks(raw);
      const line = lineAt(breaksSoFar + lineBreaks(leading));
      breaksSoFar += lineBreaks(raw);
      // The lines the record spans (quoted cells can hold line breaks): any of them not UTF-8?
      const lastLine = line + lineBreaks(raw.slice(leading.length).replace(/(\r\n|\r|\n)$/, ''));
      while (nextBad < notUtf8.length && notUtf8[nextBad]!.line < line) nextBad++;
      const badText =
        notUtf8[nextBad] && notUtf8[nextBad]!.line <= lastLine ? notUtf8[nextBad]! : null;
      const where = badText && badText.line !== line ? ` on line ${grouped(badText.line)}` : '';
      if (header === null) {
        // The first record names the columns; a wrong header leaves nothing to read by.
        header = cells;
        const wrongHeader = badText
          ? { line, raw: raw.trimEnd(), error: `the header is ${badText.problem}${where}` }
          : headerProblem(cells, line);
        if (wrongHeader) {
          yield wrongHeader;
          return;
        }
        continue;
      }
      if (badText) {
        yield { line, raw: raw.trimEnd(), error: `${badText.problem}${where}` };
        continue;
      }
      if (cells.length !== header.length) {
        yield { line, raw: raw.trimEnd(), error: `expected ${header.length} columns` };
        continue;
      }
      const record: Record<string, string> = {};
      header.forEach((name, i) => (record[name] = cells[i]!));
      yield { line, raw: raw.trimEnd(), record: unneutralize(record) };
    }
  } finally {
    input.destroy();
  }
}

/** One JSON Lines line as a record, or null for a blank line or the export's manifest. */
function jsonlRecord(split: SplitLine): RawRecord | null {
  if ('error' in split) return { line: split.line, raw: split.text ?? '', error: split.error };
  const { line } = split;
  // A byte order mark (Windows editors write one) starts the file, not the first event.
  const text = line === 1 ? split.text.replace(/^\uFEFF/, '') : split.text;
  if (text.trim() === '') return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { line, raw: text, error: 'not valid JSON' };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    return { line, raw: text, error: 'not a JSON object' };
  // The manifest an export ends with describes the file; it is not an event.
  if (MANIFEST_KEY in parsed) return null;
  return { line, raw: text, record: parsed as Record<string, unknown> };
}

function headerProblem(columns: string[], line: number): RawRecord | null {
  const missing = eventFileFields.filter((field) => !columns.includes(field));
  const extra = columns.filter(
    (column) => !(eventFileFields as readonly string[]).includes(column),
  );
  if (!missing.length && !extra.length) return null;
  return {
    line,
    raw: columns.join(','),
    error: `the header must be ${eventFileFields.join(',')}${missing.length ? ` (missing ${missing.join(', ')})` : ''}${extra.length ? ` (unknown ${extra.join(', ')})` : ''}`,
  };
}

interface CsvRecord {
  record: string[];
  raw: string;
}

/**
 * csv-parse, with three things added. It fails the stream on a quoting error, and the records
 * it had parsed from the same chunk are lost with it: this one hands those on first, then the
 * error itself, and ends. It would read bytes that are not UTF-8 as U+FFFD: the bytes pass a
 * check first, which writes each bad one as `\xHH` and keeps the lines that had one. And blank
 * lines between records are taken out before it sees them (CsvBlankLines).
 */
class CheckedCsvParser extends Parser {
  readonly utf8 = new Utf8LineCheck();
  readonly blankLines = new CsvBlankLines();

  override _transform(chunk: Buffer, encoding: BufferEncoding, callback: TransformCallback) {
    const checked = this.blankLines.filter(this.utf8.check(chunk));
    if (checked.length === 0) return callback();
    super._transform(checked, encoding, this.errorAsRecord(callback));
  }

  override _flush(callback: TransformCallback) {
    const tail = this.blankLines.filter(this.utf8.end());
    if (tail.length === 0) return super._flush(this.errorAsRecord(callback));
    super._transform(tail, 'utf8', (error) => {
      if (error) return this.errorAsRecord(callback)(error);
      super._flush(this.errorAsRecord(callback));
    });
  }

  private errorAsRecord(callback: TransformCallback): TransformCallback {
    return (error, data) => {
      if (!(error instanceof CsvError)) return callback(error, data);
      this.push(error);
      this.push(null);
      callback();
    };
  }
}

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;
const BOM = [0xef, 0xbb, 0xbf];

/**
 * Takes blank lines outside quoted cells out of CSV bytes, keeping where they were: csv-parse's
 * own skip_empty_lines gathers the lines it skips into the next record's text, so a file of
 * blank lines would become one string as large as the file (and as many records, each costs an
 * error csv-parse builds for a record of another length). `runs` says how many blank lines were
 * taken out after how many line breaks of what was handed on.
 */
class CsvBlankLines {
  readonly runs: Array<{ breaksBefore: number; lines: number }> = [];
  private breaksPassed = 0;
  private quoted = false;
  private atLineStart = true;
  /** The last byte was a CR outside a cell's text: an LF next belongs to the same break. */
  private afterCr: 'passed' | 'dropped' | null = null;
  private offset = 0;

  filter(bytes: Buffer): Buffer {
    const kept: Buffer[] = [];
    let from = 0;
    const drop = (i: number) => {
      if (i > from) kept.push(bytes.subarray(from, i));
      from = i + 1;
    };
    for (let i = 0; i < bytes.length; i++) {
      const byte = bytes[i]!;
      const afterCr = this.afterCr;
      this.afterCr = null;
      if (byte === LF && afterCr) {
        if (afterCr === 'dropped') drop(i);
        continue;
      }
      if (byte === QUOTE) {
        this.quoted = !this.quoted;
        this.atLineStart = false;
      } else if (byte === LF || byte === CR) {
        if (this.atLineStart && !this.quoted) {
          drop(i);
          const last = this.runs.at(-1);
          if (last?.breaksBefore === this.breaksPassed) last.lines++;
          else this.runs.push({ breaksBefore: this.breaksPassed, lines: 1 });
          if (byte === CR) this.afterCr = 'dropped';
        } else {
          this.breaksPassed++;
          this.atLineStart = !this.quoted;
          if (byte === CR) this.afterCr = 'passed';
        }
      } else if (!(this.offset + i < 3 && byte === BOM[this.offset + i])) {
        this.atLineStart = false;
      }
    }
    this.offset += bytes.length;
    if (from === 0) return bytes;
    kept.push(bytes.subarray(from));
    return Buffer.concat(kept);
  }
}

/** Line breaks as editors count them: CRLF, LF or a lone CR. */
function lineBreaks(text: string): number {
  return text.match(/\r\n|\r|\n/g)?.length ?? 0;
}

function leadingBreaks(raw: string): string {
  return /^[\r\n]*/.exec(raw)?.[0] ?? '';
}

function csvProblem(error: CsvError): string {
  switch (error.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'a quoted cell is never closed';
    case 'INVALID_OPENING_QUOTE':
      return 'a quote inside an unquoted cell (quote the whole cell and double the quote)';
    case 'CSV_INVALID_CLOSING_QUOTE':
      return 'text after the closing quote of a cell';
    case 'CSV_MAX_RECORD_SIZE':
      return `a record is more than ${grouped(EVENT_LIMITS.lineBytes)} bytes, the limit`;
    default:
      return error.message;
  }
}

/**
 * Undoes the export's spreadsheet-formula guard: a cell exported as `'=…` (or `''…`) gets its
 * guarding quote back off, so an exported CSV imports as the events it came from.
 */
export function unneutralize(record: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(record))
    out[key] = /^'[=+\-@\t\r']/.test(value) ? value.slice(1) : value;
  return out;
}
