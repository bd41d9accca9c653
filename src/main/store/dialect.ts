import { sql } from 'kysely';

/**
 * SQL that differs between engines lives behind these functions (DESIGN: store/ only).
 *
 * `INDEXED BY`: without statistics SQLite prefers the (type, ts) index for every verification
 * query, even where the partial (user, network, ts) index reads a tenth as much; this pins it.
 * Other engines plan from statistics and get no hint.
 */
export function indexedBy(index: string) {
  return sql.raw(`INDEXED BY ${index}`);
}

/** A failure counts as a typo when the same user succeeds within this time after it. */
export const TYPO_GRACE_MS = 10 * 60 * 1000;
