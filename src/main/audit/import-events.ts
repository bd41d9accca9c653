import fs from 'node:fs';
import path from 'node:path';
import type { Clock } from '../clock';
import { DomainError } from '../domain-error';
import type { AuditService, HistoricalEvent } from './audit.service';
import type { ClientInfo } from '../client-info';
import { existingContentHashes } from '../store/audit.store';
import type { Db } from '../store/schema';
import { engineOf } from '../store/engine';
import { writeTransaction } from '../store/transaction';
import { parseEventRecord } from './event-record';
import { formatOf, readEventFile } from './event-reader';

export interface ImportProgress {
  bytesRead: number;
  totalBytes: number;
}

export interface ImportOptions {
  file: string;
  /** How the file is named in messages and in each event's source (default: its base name). */
  displayName?: string;
  /** Import the good lines and write the rejected ones, with reasons, beside the file. */
  skipInvalid?: boolean;
  signal?: AbortSignal;
  onProgress?(progress: ImportProgress): void;
  client: ClientInfo;
  actor: { id: string; email: string } | null;
}

export interface ImportResult {
  file: string;
  imported: number;
  duplicates: number;
  rejected: number;
  rejectedFile: string | null;
}

const BATCH = 2000;
const SHOWN_ERRORS = 20;

/** Where an import with `skipInvalid` writes the lines it left out, with the reason for each. */
export function rejectedFileName(importedFile: string): string {
  return `${importedFile}.rejected.jsonl`;
}

export class ImportCancelled extends DomainError {
  constructor() {
    super('CONFLICT', 'The import was cancelled; nothing was imported.');
  }
}

/** Thrown inside the transaction to roll it back when the file has bad lines. */
class RefusedFile extends Error {}

/**
 * Imports an event file in one streaming pass inside one transaction: good events join the hash
 * chain as they are read, unless already in the trail. A bad line (unless skipped) stops the
 * appending; the rest of the file is still read so every bad line can be named, and the
 * transaction rolls back. Cancelled or killed midway, it rolls back too: nothing is half-written.
 */
export async function importEventFile(
  deps: { db: Db; clock: Clock; audit: AuditService },
  options: ImportOptions,
): Promise<ImportResult> {
  const name = options.displayName ?? path.basename(options.file);
  const format = formatOf(name);
  const totalBytes = fs.statSync(options.file).size;
  const source = `${name} (imported ${new Date(deps.clock.now()).toISOString()})`;
  const errors: string[] = [];
  let rejected = 0;
  let imported = 0;
  let duplicates = 0;
  const rejectedFile = rejectedFileName(options.file);
  let rejectedOut: fs.WriteStream | null = null;

  try {
    await writeTransaction(deps.db, async (trx) => {
      await engineOf(trx).prepareForBulkAppend(trx);
      let batch: Array<{ event: HistoricalEvent; hash: string }> = [];
      const flush = async () => {
        if (batch.length === 0) return;
        const existing = await existingContentHashes(
          trx,
          batch.map((b) => b.hash),
        );
        const seen = new Set<string>();
        const fresh: HistoricalEvent[] = [];
        for (const { event, hash } of batch) {
          if (existing.has(hash) || seen.has(hash)) {
            duplicates++;
          } else {
            seen.add(hash);
            fresh.push(event);
          }
        }
        await deps.audit.appendHistorical(trx, fresh);
        imported += fresh.length;
        batch = [];
      };
      const lines = readEventFile(options.file, {
        format,
        signal: options.signal,
        onBytes: (bytesRead) => options.onProgress?.({ bytesRead, totalBytes }),
      });
      for await (const raw of lines) {
        const parsed = raw.record ? parseEventRecord(raw.record, source, format === 'csv') : null;
        const problem = raw.error ?? (parsed && !parsed.ok ? parsed.error : null);
        if (problem) {
          rejected++;
          if (errors.length < SHOWN_ERRORS) errors.push(`${name}:${raw.line}: ${problem}`);
          if (options.skipInvalid) {
            rejectedOut ??= fs.createWriteStream(rejectedFile, { mode: 0o600 });
            rejectedOut.write(
              `${JSON.stringify({ line: raw.line, error: problem, raw: raw.raw })}\n`,
            );
          }
          continue;
        }
        // After a bad line (not skipped) the rest is only checked, for the error report.
        if (rejected > 0 && !options.skipInvalid) continue;
        if (parsed?.ok) batch.push({ event: parsed.event, hash: parsed.contentHash });
        if (batch.length >= BATCH) await flush();
      }
      if (rejected > 0 && !options.skipInvalid) throw new RefusedFile();
      await flush();
      await deps.audit.append(trx, {
        type: 'com.alaigned.audit.imported',
        userId: options.actor?.id ?? null,
        email: options.actor?.email ?? null,
        client: options.client,
        details: {
          file: name,
          imported,
          duplicates,
          rejected,
          ...(options.actor ? {} : { actorEmail: 'cli' }),
        },
      });
    });
  } catch (error) {
    if (options.signal?.aborted) throw new ImportCancelled();
    if (error instanceof RefusedFile) {
      const more =
        rejected > errors.length ? `\n… and ${rejected - errors.length} more bad lines` : '';
      throw new DomainError(
        'INVALID_INPUT',
        `${errors.join('\n')}${more}\nNothing was imported.`,
        undefined,
        { kind: 'file_refused' },
      );
    }
    throw error;
  } finally {
    if (rejectedOut) await new Promise((resolve) => rejectedOut!.end(resolve));
  }
  return {
    file: name,
    imported,
    duplicates,
    rejected,
    rejectedFile: rejected > 0 && options.skipInvalid ? rejectedFile : null,
  };
}
