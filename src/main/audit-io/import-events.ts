import fs from 'node:fs';
import path from 'node:path';
import type { Clock } from '../clock';
import { DomainError } from '../domain-error';
import type { AuditService, HistoricalEvent } from '../services/audit.service';
import type { ClientInfo } from '../services/client-info';
import { existingContentHashes } from '../store/audit.store';
import type { Db } from '../store/schema';
import { writeTransaction } from '../store/transaction';
import { parseEventRecord } from './event-record';
import { formatOf, readEventFile, type RawRecord } from './event-reader';

export interface ImportProgress {
  phase: 'checking' | 'importing';
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

export class ImportCancelled extends DomainError {
  constructor() {
    super('CONFLICT', 'The import was cancelled; nothing was imported.');
  }
}

/**
 * Imports an event file in two streaming passes: first every line is checked (a file with a bad
 * line imports nothing, and the error names file, line and field), then the good events are
 * appended to the hash chain in one transaction, skipping any already in the trail. Cancelled
 * or killed midway, the transaction rolls back: nothing is half-written.
 */
export async function importEventFile(
  deps: { db: Db; clock: Clock; audit: AuditService },
  options: ImportOptions,
): Promise<ImportResult> {
  const name = options.displayName ?? path.basename(options.file);
  const totalBytes = fs.statSync(options.file).size;
  const source = `${name} (imported ${new Date(deps.clock.now()).toISOString()})`;
  const progress = (phase: ImportProgress['phase']) => (bytesRead: number) =>
    options.onProgress?.({ phase, bytesRead, totalBytes });

  const format = formatOf(name);
  const read = (phase: ImportProgress['phase']) =>
    readEventFile(options.file, { format, signal: options.signal, onBytes: progress(phase) });
  const problemOf = (raw: RawRecord): string | null => {
    if (raw.error) return raw.error;
    const parsed = parseEventRecord(raw.record!, source, format === 'csv');
    return parsed.ok ? null : parsed.error;
  };

  // Pass 1: check every line; write the rejected ones beside the file when skipping them.
  const errors: string[] = [];
  let rejected = 0;
  const rejectedFile = `${options.file}.rejected.jsonl`;
  let rejectedOut: fs.WriteStream | null = null;
  try {
    for await (const raw of read('checking')) {
      const problem = problemOf(raw);
      if (!problem) continue;
      rejected++;
      if (errors.length < SHOWN_ERRORS) errors.push(`${name}:${raw.line}: ${problem}`);
      if (options.skipInvalid) {
        rejectedOut ??= fs.createWriteStream(rejectedFile, { mode: 0o600 });
        rejectedOut.write(`${JSON.stringify({ line: raw.line, error: problem, raw: raw.raw })}\n`);
      }
    }
  } catch (error) {
    if (options.signal?.aborted) throw new ImportCancelled();
    throw error;
  } finally {
    if (rejectedOut) await new Promise((resolve) => rejectedOut!.end(resolve));
  }
  if (rejected > 0 && !options.skipInvalid) {
    const more =
      rejected > errors.length ? `\n… and ${rejected - errors.length} more bad lines` : '';
    throw new DomainError('INVALID_INPUT', `${errors.join('\n')}${more}\nNothing was imported.`);
  }

  // Pass 2: append the good events, in one transaction.
  let imported = 0;
  let duplicates = 0;
  try {
    await writeTransaction(deps.db, async (trx) => {
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
            continue;
          }
          seen.add(hash);
          fresh.push(event);
        }
        await deps.audit.appendHistorical(trx, fresh);
        imported += fresh.length;
        batch = [];
      };
      for await (const raw of read('importing')) {
        if (!raw.record) continue;
        const parsed = parseEventRecord(raw.record, source, format === 'csv');
        if (!parsed.ok) continue;
        batch.push({ event: parsed.event, hash: parsed.contentHash });
        if (batch.length >= BATCH) await flush();
      }
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
    throw error;
  }
  return {
    file: name,
    imported,
    duplicates,
    rejected,
    rejectedFile: rejected > 0 && options.skipInvalid ? rejectedFile : null,
  };
}
