import { createHash } from 'node:crypto';
import { once } from 'node:events';
import fs from 'node:fs';
import type { AuditFilterInput, ExportManifest } from '../../shared/contract';
import {
  eventFileFields,
  MANIFEST_KEY,
  manifestFileOf,
  manifestFileText,
  type EventFileFormat,
} from '../../shared/event-file';
import { toAuditFilter } from './audit-page';
import type { AuditService } from './audit.service';
import type { ClientInfo } from '../client-info';
import { chainHead } from '../store/audit.store';
import type { Db } from '../store/schema';
import { writeTransaction } from '../store/transaction';
import { exportChunks, type ExportWorkers } from './export-chunks';

/** The name an export gets from the console: the format and the moment, sortable. */
export function exportFileName(now: number, format: EventFileFormat): string {
  const stamp = new Date(now).toISOString().slice(0, 19).replace(/[:T]/g, '-');
  return `org2fa-audit-${stamp}.${format}`;
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
  /** Format in worker threads reading the same file (large exports); absent, in this thread. */
  workers?: ExportWorkers | null;
}

export async function exportEvents(
  deps: { db: Db; audit: AuditService },
  options: ExportOptions,
): Promise<{ manifest: ExportManifest }> {
  const head = await chainHead(deps.db);
  const filter = { ...toAuditFilter(options.filters), maxId: head?.id ?? 0 };
  const digest = createHash('sha256');
  const write = async (bytes: Uint8Array) => {
    digest.update(bytes);
    if (!options.out.write(bytes)) await once(options.out, 'drain');
  };
  if (options.format === 'csv') await write(Buffer.from(`${eventFileFields.join(',')}\r\n`));
  let count = 0;
  let first: number | null = null;
  let last: number | null = null;
  const chunks = exportChunks({
    db: deps.db,
    filter,
    format: options.format,
    maxId: head?.id ?? 0,
    workers: options.workers,
  });
  for await (const chunk of chunks) {
    if (options.signal?.aborted) throw new Error('Cancelled');
    if (chunk.count === 0) continue;
    await write(chunk.bytes);
    count += chunk.count;
    first ??= chunk.firstTs;
    last = chunk.lastTs;
    options.onProgress?.(count);
  }
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

/**
 * Exports to a file that gets its name only once complete (written as `FILE.partial` until then,
 * removed on failure), with a CSV export's manifest beside it (manifestFileOf).
 */
export async function exportEventsToFile(
  deps: { db: Db; audit: AuditService },
  options: Omit<ExportOptions, 'out'> & { file: string },
): Promise<{ manifest: ExportManifest; manifestFile: string | null }> {
  const partial = `${options.file}.partial`;
  const out = fs.createWriteStream(partial, { mode: 0o600 });
  try {
    const { manifest } = await exportEvents(deps, { ...options, out });
    out.end();
    await once(out, 'close');
    fs.renameSync(partial, options.file);
    if (options.format !== 'csv') return { manifest, manifestFile: null };
    const manifestFile = manifestFileOf(options.file);
    fs.writeFileSync(manifestFile, manifestFileText(manifest));
    return { manifest, manifestFile };
  } catch (error) {
    out.destroy();
    fs.rmSync(partial, { force: true });
    throw error;
  }
}
