import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import type { TransformCallback } from 'node:stream';
import { CsvError, Parser } from 'csv-parse';
import { eventFileFields, MANIFEST_KEY, type EventFileFormat } from '../../shared/event-file';

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
 * stays flat whatever the file's size. `onBytes` reports progress through the file.
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
  let bytes = 0;
  input.on('data', (chunk) => {
    bytes += chunk.length;
    options.onBytes?.(bytes);
  });
  try {
    if ((options.format ?? formatOf(file)) === 'jsonl') {
      let line = 0;
      for await (const lineText of readline.createInterface({ input, crlfDelay: Infinity })) {
        line++;
        if (options.signal?.aborted) throw new Error('Cancelled');
        // A byte order mark (Windows editors write one) starts the file, not the first event.
        const text = line === 1 ? lineText.replace(/^\uFEFF/, '') : lineText;
        if (text.trim() === '') continue;
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch {
          yield { line, raw: text, error: 'not valid JSON' };
          continue;
        }
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
          yield { line, raw: text, error: 'not a JSON object' };
          continue;
        }
        // The manifest an export ends with describes the file; it is not an event.
        if (MANIFEST_KEY in parsed) continue;
        yield { line, raw: text, record: parsed as Record<string, unknown> };
      }
      return;
    }
    // The header's names once read: a file may end right after its header.
    const seen: { header: string[] | null } = { header: null };
    const parser = input.pipe(
      new RecordsThenErrorParser({
        columns: (names: string[]) => (seen.header = names),
        bom: true,
        info: true,
        relax_column_count: true,
        skip_empty_lines: true,
        raw: true,
      }),
    );
    let headerChecked = false;
    // Where the next record's raw text begins, counted here: csv-parse's own line count takes a
    // CRLF inside a quoted cell for two lines.
    let nextLine = 2;
    for await (const item of parser as AsyncIterable<CsvRecord | CsvError>) {
      if (options.signal?.aborted) throw new Error('Cancelled');
      if (!headerChecked && seen.header) {
        headerChecked = true;
        const wrongHeader = headerProblem(seen.header);
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
      const line = nextLine + lineBreaks(leadingBreaks(raw));
      nextLine += lineBreaks(raw);
      if (info.invalid_field_length > 0 || Object.keys(record).length !== eventFileFields.length) {
        yield { line, raw: raw.trimEnd(), error: `expected ${eventFileFields.length} columns` };
        continue;
      }
      yield { line, raw: raw.trimEnd(), record: unneutralize(record) };
    }
    if (!headerChecked && seen.header) {
      const wrongHeader = headerProblem(seen.header);
      if (wrongHeader) yield wrongHeader;
    }
  } finally {
    input.destroy();
  }
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
 * csv-parse fails the stream on a quoting error, and the records it had parsed from the same
 * chunk are lost with it. This one hands those on first, then the error itself, and ends.
 */
class RecordsThenErrorParser extends Parser {
  override _transform(chunk: Buffer, encoding: BufferEncoding, callback: TransformCallback) {
    super._transform(chunk, encoding, this.errorAsRecord(callback));
  }

  override _flush(callback: TransformCallback) {
    super._flush(this.errorAsRecord(callback));
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
