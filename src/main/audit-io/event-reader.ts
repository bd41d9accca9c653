import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { parse } from 'csv-parse';
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
      for await (const text of readline.createInterface({ input, crlfDelay: Infinity })) {
        line++;
        if (options.signal?.aborted) throw new Error('Cancelled');
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
    const parser = input.pipe(
      parse({
        columns: true,
        bom: true,
        info: true,
        relax_column_count: true,
        skip_empty_lines: true,
        raw: true,
      }),
    );
    let headerChecked = false;
    for await (const { record, info, raw } of parser as AsyncIterable<{
      record: Record<string, string>;
      info: {
        lines: number;
        columns: Array<{ name: string }> | false;
        invalid_field_length: number;
      };
      raw: string;
    }>) {
      if (options.signal?.aborted) throw new Error('Cancelled');
      if (!headerChecked) {
        headerChecked = true;
        const columns = Object.keys(record);
        const missing = eventFileFields.filter((field) => !columns.includes(field));
        const extra = columns.filter(
          (column) => !(eventFileFields as readonly string[]).includes(column),
        );
        if (missing.length || extra.length) {
          yield {
            line: 1,
            raw: columns.join(','),
            error: `the header must be ${eventFileFields.join(',')}${missing.length ? ` (missing ${missing.join(', ')})` : ''}${extra.length ? ` (unknown ${extra.join(', ')})` : ''}`,
          };
          return;
        }
      }
      const line = info.lines - (raw.match(/\n/g)?.length ?? 0) + (raw.endsWith('\n') ? 1 : 0);
      if (info.invalid_field_length > 0 || Object.keys(record).length !== eventFileFields.length) {
        yield { line, raw: raw.trimEnd(), error: `expected ${eventFileFields.length} columns` };
        continue;
      }
      yield { line, raw: raw.trimEnd(), record: unneutralize(record) };
    }
  } finally {
    input.destroy();
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
