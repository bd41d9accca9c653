import { createHash } from 'node:crypto';
import { once } from 'node:events';
import type { AuditFilterInput } from '../../shared/contract';
import { neutralizeFormula } from '../../shared/csv-safety';
import { eventFileFields, MANIFEST_KEY, type EventFileFormat } from '../../shared/event-file';
import { toAuditFilter } from '../analytics/analytics';
import type { AuditService } from '../services/audit.service';
import type { ClientInfo } from '../services/client-info';
import { chainHead, streamFilteredEvents } from '../store/audit.store';
import type { AuditEventRow, Db } from '../store/schema';
import { writeTransaction } from '../store/transaction';

export interface ExportManifest {
  format: EventFileFormat;
  exportedAt: string;
  count: number;
  firstTimestamp: string | null;
  lastTimestamp: string | null;
  filters: AuditFilterInput;
  /** The newest event of the whole trail when the export began: the export covers nothing newer. */
  chainHead: { id: number; hash: string } | null;
  /** SHA-256 of the exported events exactly as written (JSON Lines: without the manifest line). */
  contentSha256: string;
}

export interface ExportOptions {
  format: EventFileFormat;
  filters: AuditFilterInput;
  out: NodeJS.WritableStream;
  /** JSON Lines end with the manifest in-band; CSV has no room for it, so the caller places it. */
  signal?: AbortSignal;
  onProgress?(count: number): void;
  client: ClientInfo;
  actor: { id: string; email: string } | null;
  now: number;
}

const FLUSH_BYTES = 64 * 1024;

/** RFC 4180: quote a cell holding a comma, quote or line break; double its quotes. */
function csvCell(value: string): string {
  const inert = neutralizeFormula(value);
  return /[",\r\n]/.test(inert) ? `"${inert.replace(/"/g, '""')}"` : inert;
}

function csvLine(row: AuditEventRow): string {
  const cells = [
    row.type,
    new Date(Number(row.ts)).toISOString(),
    row.user_id ?? '',
    row.email ?? '',
    row.ip ?? '',
    row.user_agent ?? '',
    row.method ?? '',
    row.details,
  ];
  return `${cells.map(csvCell).join(',')}\r\n`;
}

/** The stored details are canonical JSON already: embedded as they are, byte for byte. */
function jsonLine(row: AuditEventRow): string {
  const text = (value: string | null) => JSON.stringify(value);
  return (
    `{"type":${text(row.type)},"timestamp":"${new Date(Number(row.ts)).toISOString()}","userId":${text(row.user_id)},` +
    `"email":${text(row.email)},"ip":${text(row.ip)},"userAgent":${text(row.user_agent)},"method":${text(row.method)},` +
    `"details":${row.details}}\n`
  );
}

/**
 * Streams the events matching the filters, oldest first, honouring the stream's backpressure so
 * memory stays flat at any size; the chain head at the start bounds the export. Audited.
 */
export async function exportEvents(
  deps: { db: Db; audit: AuditService },
  options: ExportOptions,
): Promise<{ manifest: ExportManifest }> {
  const head = await chainHead(deps.db);
  const filter = { ...toAuditFilter(options.filters), maxId: head?.id ?? 0 };
  const digest = createHash('sha256');
  let buffer = options.format === 'csv' ? `${eventFileFields.join(',')}\r\n` : '';
  let count = 0;
  let first: number | null = null;
  let last: number | null = null;
  const flush = async () => {
    digest.update(buffer);
    if (!options.out.write(buffer)) await once(options.out, 'drain');
    buffer = '';
  };
  for await (const row of streamFilteredEvents(deps.db, filter)) {
    if (options.signal?.aborted) throw new Error('Cancelled');
    buffer += options.format === 'csv' ? csvLine(row) : jsonLine(row);
    count++;
    first ??= Number(row.ts);
    last = Number(row.ts);
    if (buffer.length >= FLUSH_BYTES) {
      await flush();
      options.onProgress?.(count);
    }
  }
  await flush();
  const manifest: ExportManifest = {
    format: options.format,
    exportedAt: new Date(options.now).toISOString(),
    count,
    firstTimestamp: first === null ? null : new Date(first).toISOString(),
    lastTimestamp: last === null ? null : new Date(last).toISOString(),
    filters: options.filters,
    chainHead: head,
    contentSha256: digest.digest('hex'),
  };
  if (options.format === 'jsonl') {
    if (!options.out.write(`${JSON.stringify({ [MANIFEST_KEY]: manifest })}\n`))
      await once(options.out, 'drain');
  }
  await writeTransaction(deps.db, (trx) =>
    deps.audit.append(trx, {
      type: 'com.alaigned.audit.exported',
      userId: options.actor?.id ?? null,
      email: options.actor?.email ?? null,
      client: options.client,
      details: {
        format: options.format,
        filters: options.filters,
        count,
        contentSha256: manifest.contentSha256,
        chainHead: head,
        ...(options.actor ? {} : { actorEmail: 'cli' }),
      },
    }),
  );
  options.onProgress?.(count);
  return { manifest };
}
