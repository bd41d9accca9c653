import type { AuditEventType } from '../../shared/audit-events';
import { EVENT_LIMITS, LISTED_PREVIEW_LENGTH } from '../../shared/event-file';
import type { Clock } from '../clock';
import { insertAuditEvents, latestAuditHash } from '../store/audit.store';
import type { Db, NewAuditEventRow } from '../store/schema';
import {
  canonicalJson,
  chainHash,
  contentHashOf,
  GENESIS_HASH,
  type ChainedContent,
} from './audit-chain';
import type { ClientInfo } from '../client-info';
import type { LocationRecorder } from '../geo/location-recorder';
import { addressColumns } from '../network/ip-network';

export interface AuditRecord {
  type: AuditEventType;
  userId: string | null;
  email: string | null;
  client: ClientInfo;
  method?: 'totp' | 'backup_code' | null;
  details?: Record<string, unknown>;
}

/** An event with its own time and origin: imported from a file, or generated demo history. */
export interface HistoricalEvent {
  type: string;
  ts: number;
  userId: string | null;
  email: string | null;
  ip: string | null;
  userAgent: string | null;
  method: 'totp' | 'backup_code' | null;
  /** JSON object text, canonical (sorted keys). */
  details: string;
  source: string | null;
  /** Its content hash, when already computed (an import computes it to find duplicates). */
  contentHash?: string;
}

export interface AuditService {
  /**
   * Appends one event to the chain. Must run inside the caller's write transaction, so the event
   * commits or rolls back with the change it records. The import's caps hold here too: a longer
   * user agent (a transport's header, the caller's to choose) or larger details are stored cut,
   * marked as such (cappedUserAgent, recordedDetails).
   */
  append(trx: Db, record: AuditRecord): Promise<number>;
  /** Appends many events in order, chaining each to the one before; one read of the chain head. */
  appendHistorical(trx: Db, events: HistoricalEvent[]): Promise<string>;
}

/** The stored row for chained content: hash over the predecessor, derived address columns. */
export function chainedRow(
  prevHash: string,
  content: ChainedContent & { contentHash?: string },
): NewAuditEventRow {
  const address = addressColumns(content.ip);
  return {
    type: content.type,
    ts: content.ts,
    user_id: content.userId,
    email: content.email,
    ip: content.ip,
    user_agent: content.userAgent,
    method: content.method,
    details: content.details,
    source: content.source,
    prev_hash: prevHash,
    hash: chainHash(prevHash, content),
    ip_key: address?.ipKey ?? null,
    network: address?.network ?? null,
    content_hash: content.contentHash ?? contentHashOf(content),
  };
}

/**
 * A user agent as the trail keeps it: at most EVENT_LIMITS.userAgentLength characters, a cut one
 * ending in "…". Cut, never refused: refusing would let a client's own header stop the event
 * (a failed sign-in, say) from being recorded at all.
 */
function cappedUserAgent(userAgent: string): string {
  const cap = EVENT_LIMITS.userAgentLength;
  if (userAgent.length <= cap) return userAgent;
  let end = cap - 1;
  // Never half of a surrogate pair: UTF-8, and so the database, cannot hold one.
  if (/[\uD800-\uDBFF]/.test(userAgent[end - 1]!)) end--;
  return `${userAgent.slice(0, end)}…`;
}

/**
 * Details of an event the console records, canonical and within the caps. Larger ones (only a
 * hostile export filter comes near: 50 types of 200 escaped characters) are stored as an explicit
 * `detailsCut` marker with their size and start, so the action is still recorded, never refused
 * for its record's size. Nesting past the cap is a bug (no input nests that deep) and throws,
 * rolling the change back with its event.
 */
function recordedDetails(details: Record<string, unknown>): string {
  const json = canonicalJson(details);
  const bytes = Buffer.byteLength(json);
  if (bytes <= EVENT_LIMITS.detailsBytes) return json;
  return canonicalJson({
    detailsCut: { bytes, preview: json.slice(0, LISTED_PREVIEW_LENGTH) },
  });
}

/**
 * `locations` fills ip_locations for the new addresses of what is appended, in the same
 * transaction; without it (a tool writing raw history) the table is filled at the next open.
 */
export function createAuditService(deps: {
  clock: Clock;
  locations?: LocationRecorder;
}): AuditService {
  return {
    async append(trx, record) {
      const content: ChainedContent = {
        type: record.type,
        ts: deps.clock.now(),
        userId: record.userId,
        email: record.email,
        ip: record.client.ip,
        userAgent: cappedUserAgent(record.client.userAgent),
        method: record.method ?? null,
        details: recordedDetails(record.details ?? {}),
        source: null,
      };
      const prevHash = (await latestAuditHash(trx)) ?? GENESIS_HASH;
      const [id] = await insertAuditEvents(trx, [chainedRow(prevHash, content)]);
      await deps.locations?.record(trx, [content.ip]);
      return id!;
    },

    async appendHistorical(trx, events) {
      let prevHash = (await latestAuditHash(trx)) ?? GENESIS_HASH;
      const rows = events.map((event) => {
        const row = chainedRow(prevHash, event);
        prevHash = row.hash;
        return row;
      });
      await insertAuditEvents(trx, rows);
      await deps.locations?.record(
        trx,
        events.map((event) => event.ip),
      );
      return prevHash;
    },
  };
}
