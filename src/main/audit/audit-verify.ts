import type { CallOutput } from '../../shared/contract';
import {
  HOUR_MS,
  hourlyCountsSnapshot,
  hourOfMs,
  HourTally,
  recountHourlyCounts,
} from '../store/hourly-counts.store';
import { auditEventBatches, countAuditEvents } from '../store/audit.store';
import type { AuditEventRow, Db } from '../store/schema';
import { writeTransaction } from '../store/transaction';
import { chainHash, contentHashOf, GENESIS_HASH, type ChainedContent } from './audit-chain';
import { ipKey, networkOf } from '../network/ip-network';

export type ChainVerification =
  | { ok: true; count: number; headHash: string }
  | { ok: false; count: number; firstBadId: number; problem: 'content' | 'link'; message: string }
  | { ok: false; count: number; firstBadId: null; problem: 'counts'; message: string };

export function chainedContentOf(row: AuditEventRow): ChainedContent {
  return {
    type: row.type,
    ts: Number(row.ts),
    userId: row.user_id,
    email: row.email,
    ip: row.ip,
    userAgent: row.user_agent,
    method: row.method,
    details: row.details,
    source: row.source,
  };
}

/**
 * Walks the whole trail in order. An edited row fails its own hash; a deleted or reordered row
 * breaks the link of the row after it. Streams, so memory stays flat at any size.
 */
export async function verifyAuditChain(
  db: Db,
  onProgress?: (done: number, total: number) => void,
): Promise<ChainVerification> {
  let previous = GENESIS_HASH;
  let count = 0;
  const total = onProgress ? await countAuditEvents(db) : 0;
  // Taken first: events appended while the walk runs are chained but not yet in this snapshot.
  const snapshot = await hourlyCountsSnapshot(db);
  const trailCounts = new HourTally();
  for await (const batch of auditEventBatches(db))
    for (const row of batch) {
      if (onProgress && count % 50_000 === 0) onProgress(count, total);
      if (row.prev_hash !== previous) {
        return {
          ok: false,
          count,
          firstBadId: row.id,
          problem: 'link',
          message: `Event ${row.id} does not follow the event before it: an event was removed, inserted or reordered.`,
        };
      }
      if (chainHash(row.prev_hash, chainedContentOf(row)) !== row.hash) {
        return {
          ok: false,
          count,
          firstBadId: row.id,
          problem: 'content',
          message: `Event ${row.id} was changed after it was recorded: its content does not match its hash.`,
        };
      }
      const content = chainedContentOf(row);
      if (
        row.ip_key !== ipKey(row.ip) ||
        row.network !== networkOf(row.ip) ||
        row.content_hash !== contentHashOf(content)
      ) {
        return {
          ok: false,
          count,
          firstBadId: row.id,
          problem: 'content',
          message: `Event ${row.id} has derived fields (address key, network, content hash) that do not match its content.`,
        };
      }
      if (row.id <= snapshot.lastId) trailCounts.add(hourOfMs(Number(row.ts)), row.type);
      previous = row.hash;
      count++;
    }
  const stored = new HourTally();
  for (const c of snapshot.counts) stored.add(c.hour, c.type, c.n);
  const mismatch = firstCountMismatch(stored, trailCounts);
  if (mismatch) return { ok: false, count, firstBadId: null, problem: 'counts', message: mismatch };
  return { ok: true, count, headHash: previous };
}

/**
 * The charts read whole hours from stored counts, which the chain does not cover: they must
 * equal the trail's own, or someone with the database changed what the charts show.
 */
function firstCountMismatch(stored: HourTally, trail: HourTally): string | null {
  const entries = [...stored.values(), ...trail.values()].sort(
    (a, b) => a.hour - b.hour || a.type.localeCompare(b.type),
  );
  for (const { hour, type } of entries) {
    const kept = stored.count(hour, type);
    const actual = trail.count(hour, type);
    if (kept === actual) continue;
    const at = new Date(hour * HOUR_MS).toISOString().slice(0, 13);
    return (
      `The events are intact, but the hourly counts behind the charts are not: ${type} in the ` +
      `hour from ${at}:00Z counts ${kept}, the trail holds ${actual}. They were changed outside ` +
      `the console; 'org2fa audit recount' rebuilds them from the trail.`
    );
  }
  return null;
}

/**
 * The repair a 'counts' failure names: the hourly counts rebuilt from the trail itself, in one
 * transaction. Answers how many hour and type rows it wrote.
 */
export async function rebuildHourlyCounts(db: Db): Promise<number> {
  return writeTransaction(db, (trx) => recountHourlyCounts(trx));
}

/** A verification as every caller reports it: the console's answer and the CLI's lines alike. */
export function verificationReport(result: ChainVerification): CallOutput<'audit.verifyChain'> {
  return result.ok
    ? {
        ok: true,
        count: result.count,
        headHash: result.headHash,
        firstBadId: null,
        message: `Intact: ${result.count} events, each linked to the one before, and the chart counts match them.`,
      }
    : {
        ok: false,
        count: result.count,
        headHash: null,
        firstBadId: result.firstBadId,
        message: result.message,
      };
}
