import { createHash } from 'node:crypto';

/** The `prev_hash` of the first event. */
export const GENESIS_HASH = '0'.repeat(64);

/** The fields of an event that the chain protects (everything but id and the hashes). */
export interface ChainedContent {
  type: string;
  ts: number;
  userId: string | null;
  email: string | null;
  ip: string | null;
  userAgent: string | null;
  method: string | null;
  /** JSON object text exactly as stored. */
  details: string;
  source: string | null;
}

/**
 * Canonical text of an event: a JSON array in a fixed field order, so the same content always
 * hashes the same whatever object key order produced it.
 */
export function canonicalContent(event: ChainedContent): string {
  return JSON.stringify([
    event.type,
    event.ts,
    event.userId,
    event.email,
    event.ip,
    event.userAgent,
    event.method,
    event.details,
    event.source,
  ]);
}

/** SHA-256 over the predecessor's hash and this event's canonical content. */
export function chainHash(prevHash: string, event: ChainedContent): string {
  return createHash('sha256')
    .update(prevHash)
    .update('\n')
    .update(canonicalContent(event))
    .digest('hex');
}

/** Stable JSON for `details`: keys sorted at every depth. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}
