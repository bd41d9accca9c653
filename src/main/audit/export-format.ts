import { FORMULA_PREFIX_CODES } from '../../shared/csv-safety';
import type { EventFileFormat } from '../../shared/event-file';
import {
  eventsInIdRange,
  type AuditFilter,
  type ExportedEventRow,
  type IdRange,
} from '../store/audit.store';
import type { Db } from '../store/schema';
import { isoTimestamp } from './iso-time';

/**
 * RFC 4180: quote a cell holding a comma, quote or line break; double its quotes. A million
 * events make eight million cells, so this is neutralizeFormula's test inlined.
 */
function csvCell(value: string): string {
  if (value === '') return value;
  const inert = FORMULA_PREFIX_CODES.has(value.charCodeAt(0)) ? `'${value}` : value;
  return inert.includes('"') || inert.includes(',') || inert.includes('\n') || inert.includes('\r')
    ? `"${inert.replaceAll('"', '""')}"`
    : inert;
}

function csvLine([, type, ts, userId, email, ip, userAgent, method, details]: ExportedEventRow) {
  return (
    `${csvCell(type)},${isoTimestamp(ts)},${csvCell(userId ?? '')},` +
    `${csvCell(email ?? '')},${csvCell(ip ?? '')},${csvCell(userAgent ?? '')},` +
    `${csvCell(method ?? '')},${csvCell(details)}\r\n`
  );
}

/** The stored details are canonical JSON already: embedded as they are, byte for byte. */
function jsonLine([, type, ts, userId, email, ip, userAgent, method, details]: ExportedEventRow) {
  const text = (value: string | null) => JSON.stringify(value);
  return (
    `{"type":${text(type)},"timestamp":"${isoTimestamp(ts)}","userId":${text(userId)},` +
    `"email":${text(email)},"ip":${text(ip)},"userAgent":${text(userAgent)},"method":${text(method)},` +
    `"details":${details}}\n`
  );
}

/** One range's events as file bytes (own buffer, so a worker can hand it over without a copy). */
export interface FormattedChunk {
  bytes: Uint8Array;
  count: number;
  firstTs: number | null;
  lastTs: number | null;
}

const encoder = new TextEncoder();

export async function formatChunk(
  db: Db,
  filter: AuditFilter,
  format: EventFileFormat,
  range: IdRange,
): Promise<FormattedChunk> {
  return formatRows(await eventsInIdRange(db, filter, range.afterId, range.upToId), format);
}

/** Events as the bytes of an export file, with their count and time span. */
export function formatRows(rows: ExportedEventRow[], format: EventFileFormat): FormattedChunk {
  return {
    bytes: encoder.encode(rows.map(format === 'csv' ? csvLine : jsonLine).join('')),
    count: rows.length,
    firstTs: rows[0]?.[2] ?? null,
    lastTs: rows.at(-1)?.[2] ?? null,
  };
}
