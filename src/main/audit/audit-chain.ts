import { createHash } from 'node:crypto';
import { EVENT_LIMITS } from '../../shared/event-file';

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

/** The chained fields that say what happened, whatever file or console recorded it. */
export type EventIdentity = Omit<ChainedContent, 'source'>;

/**
 * The one field order of an event's canonical form: its identity, then (for the chain) its source.
 * Changing it breaks every stored hash; audit-chain.vectors.json pins the bytes.
 */
function identityFields(event: EventIdentity): unknown[] {
  return [
    event.type,
    event.ts,
    event.userId,
    event.email,
    event.ip,
    event.userAgent,
    event.method,
    event.details,
  ];
}

/**
 * Canonical text of an event: a JSON array in a fixed field order, so the same content always
 * hashes the same whatever object key order produced it.
 */
export function canonicalContent(event: ChainedContent): string {
  return JSON.stringify([...identityFields(event), event.source]);
}

/** SHA-256 over the predecessor's hash and this event's canonical content. */
export function chainHash(prevHash: string, event: ChainedContent): string {
  return createHash('sha256')
    .update(prevHash)
    .update('\n')
    .update(canonicalContent(event))
    .digest('hex');
}

/**
 * What makes two events the same event for de-duplication: the canonical form without the
 * source, so importing a file twice (or re-importing an export) adds nothing.
 */
export function contentHashOf(event: EventIdentity): string {
  return createHash('sha256')
    .update(JSON.stringify(identityFields(event)))
    .digest('hex');
}

/**
 * Stable JSON for `details`: keys sorted at every depth. Throws beyond EVENT_LIMITS.detailsDepth
 * levels, before recursing that deep: a value nested 20,000 levels (JSON.parse makes one
 * happily) would overflow the stack here and in JSON.stringify.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value, 1));
}

export class NestedTooDeep extends Error {
  constructor() {
    super(`details are nested more than ${EVENT_LIMITS.detailsDepth} levels deep`);
  }
}

function sortKeys(value: unknown, depth: number): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (depth > EVENT_LIMITS.detailsDepth) throw new NestedTooDeep();
  if (Array.isArray(value)) return value.map((item) => sortKeys(item, depth + 1));
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortKeys((value as Record<string, unknown>)[key], depth + 1)]),
  );
}

/**
 * Levels of objects and arrays in a JSON value (a scalar is 0, `{}` is 1), walked without
 * recursion so any depth JSON.parse accepts can be measured.
 */
export function jsonDepth(value: unknown): number {
  let deepest = 0;
  const pending: Array<{ value: unknown; depth: number }> = [{ value, depth: 1 }];
  for (let next = pending.pop(); next; next = pending.pop()) {
    if (next.value === null || typeof next.value !== 'object') continue;
    if (next.depth > deepest) deepest = next.depth;
    for (const child of Object.values(next.value))
      if (child !== null && typeof child === 'object')
        pending.push({ value: child, depth: next.depth + 1 });
  }
  return deepest;
}
