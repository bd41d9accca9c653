import { sql } from 'kysely';
import { TYPO_GRACE_MS } from './sql-fragments';

/**
 * SQL pieces every query over verifications shares: the two event types, the network and typo
 * terms the partial indexes are made for, and integer literals for bucket arithmetic.
 */

import { VERIFY_FAILED, VERIFY_SUCCESS } from '../../shared/audit-events';

/** A half-open time range in epoch milliseconds: sinceMs ≤ ts < untilMs. */
export interface Range {
  sinceMs: number;
  untilMs: number;
}

/**
 * Numbers that take part in integer arithmetic (bucket sizes, offsets) go into the SQL as
 * literals: bound parameters arrive as floating point in SQLite and would turn `ts / bucket`
 * into a division with a remainder. They come from code or validated integers, never text.
 */
export function int(value: number) {
  if (!Number.isSafeInteger(value)) throw new Error(`not an integer: ${value}`);
  return sql.lit(value);
}

/**
 * The two verification types as literals: the planner can only use the partial index on
 * verifications when it can see that a query asks for exactly those types.
 */
export const SUCCESS = sql.lit(VERIFY_SUCCESS);
export const FAILED = sql.lit(VERIFY_FAILED);

/**
 * Verifications from one network. The type term (redundant beside a narrower one) lets the
 * planner see the (network, ts) partial index applies: one network's entries are read, not
 * every verification in the period.
 */
export function verificationsFromNetwork(network: string) {
  return sql<boolean>`(type IN (${SUCCESS}, ${FAILED}) AND network = ${network})`;
}

/** Failures the same user did not put right within TYPO_GRACE_MS: not typos. */
export function unresolvedFailure() {
  return sql<boolean>`NOT EXISTS (
    SELECT 1 FROM audit_events s
    WHERE s.user_id = audit_events.user_id AND s.type = ${SUCCESS}
      AND s.ts >= audit_events.ts AND s.ts <= audit_events.ts + ${int(TYPO_GRACE_MS)}
  )`;
}
