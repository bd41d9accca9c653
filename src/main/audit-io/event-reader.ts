import fs from 'node:fs';
import path from 'node:path';
import type { TransformCallback } from 'node:stream';
import { CsvError, Parser, type Options } from 'csv-parse';
import {
  EVENT_LIMITS,
  eventFileFields,
  MANIFEST_KEY,
  type EventFileFormat,
} from '../../shared/event-file';
import {
  grouped,
  LineSplitter,
  Utf8LineCheck,
  type BadUtf8Line,
  type SplitLine,
} from './line-splitter';

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
    // The header's names once read: a file may end right after its header.
    const seen: { header: string[] | null } = { header: null };
    const parser = input.pipe(
      new CheckedCsvParser({
        columns: (names: string[]) => (seen.header = names),
        bom: true,
        info: true,
        relax_column_count: true,
        skip_empty_lines: true,
        raw: true,
        // A quoted cell never closed would otherwise gather the rest of the file into one field.
        max_record_size: EVENT_LIMITS.lineBytes,
      }),
    );
    const notUtf8 = parser.utf8.badLines;
    // The first entry of notUtf8 not yet passed by the records read.
    let nextBad = 0;
    let headerChecked = false;
    // Where the next record's raw text begins, counted here: csv-parse's own line count takes a
    // CRLF inside a quoted cell for two lines.
    let nextLine = 2;
    for await (const item of parser as AsyncIterable<CsvRecord | CsvError>) {
      if (options.signal?.aborted) throw new Error('Cancelled');
      if (!headerChecked && seen.header) {
        headerChecked = true;
        const wrongHeader =
          notUtf8[0]?.line === 1 ? badHeader(notUtf8[0]) : headerProblem(seen.header);
        if (wrongHeader) {
          yield wrongHeader;
          return;
        }
      }
      if (item instanceof CsvError) {
        // A quoting error stops the parser: name the record it is in, like any other bad line.
        const raw = typeof item.raw === 'string' ? item.raw : '';
        yield {
          line: headerChecked ? nextLine + lineBreaks(leadingBreaks(raw)) : 1,
          raw: raw.trimEnd(),
          error: `not valid CSV (${csvProblem(item)}); the rest of the file cannot be read`,
        };
        return;
      }
      const { record, info, raw } = item;
      // Empty lines the parser skipped come first in `raw`.
      const leading = leadingBreaks(raw);
      const line = nextLine + lineBreaks(leading);
      nextLine += lineBreaks(raw);
      // The lines the record spans (quoted cells can hold line breaks): any of them not UTF-8?
      const lastLine = line + lineBreaks(raw.slice(leading.length).replace(/(\r\n|\r|\n)$/, ''));
      while (nextBad < notUtf8.length && notUtf8[nextBad]!.line < line) nextBad++;
      const badText =
        notUtf8[nextBad] && notUtf8[nextBad]!.line <= lastLine ? notUtf8[nextBad]! : null;
      if (badText) {
        const where = badText.line === line ? '' : ` on line ${grouped(badText.line)}`;
        yield { line, raw: raw.trimEnd(), error: `${badText.problem}${where}` };
        continue;
      }
      if (info.invalid_field_length > 0 || Object.keys(record).length !== eventFileFields.length) {
        yield { line, raw: raw.trimEnd(), error: `expected ${eventFileFields.length} columns` };
        continue;
      }
      yield { line, raw: raw.trimEnd(), record: unneutralize(record) };
    }
    if (!headerChecked && seen.header) {
      const wrongHeader =
        notUtf8[0]?.line === 1 ? badHeader(notUtf8[0]) : headerProblem(seen.header);
      if (wrongHeader) yield wrongHeader;
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

function badHeader(bad: BadUtf8Line): RawRecord {
  return { line: 1, raw: '', error: `the header is ${bad.problem}` };
}

function headerProblem(columns: string[]): RawRecord | null {
  const missing = eventFileFields.filter((field) => !columns.includes(field));
  const extra = columns.filter(
    (column) => !(eventFileFields as readonly string[]).includes(column),
  );
  if (!missing.length && !extra.length) return null;
  return {
    line: 1,
    raw: columns.join(','),
    error: `the header must be ${eventFileFields.join(',')}${missing.length ? ` (missing ${missing.join(', ')})` : ''}${extra.length ? ` (unknown ${extra.join(', ')})` : ''}`,
  };
}

interface CsvRecord {
  record: Record<string, string>;
  info: { invalid_field_length: number };
  raw: string;
}

/**
 * csv-parse, with two things added. It fails the stream on a quoting error, and the records it
 * had parsed from the same chunk are lost with it: this one hands those on first, then the error
 * itself, and ends. And it would read bytes that are not UTF-8 as U+FFFD: the bytes pass a
 * check first, which writes each bad one as `\xHH` and keeps the lines that had one.
 */
class CheckedCsvParser extends Parser {
  readonly utf8 = new Utf8LineCheck();

  constructor(options: Options) {
    super(options);
  }

  override _transform(chunk: Buffer, encoding: BufferEncoding, callback: TransformCallback) {
    const checked = this.utf8.check(chunk);
    if (checked.length === 0) return callback();
    super._transform(checked, encoding, this.errorAsRecord(callback));
  }

  override _flush(callback: TransformCallback) {
    const tail = this.utf8.end();
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
