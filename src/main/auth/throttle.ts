import type { AuthThrottleRow } from '../store/schema';

/** Failures allowed before the first wait. */
export const FAILURES_BEFORE_LOCK = 5;
export const FIRST_LOCK_MS = 60_000;
export const MAX_LOCK_MS = 15 * 60_000;
/** Failures without any success after which only an admin can unlock. */
export const FAILURES_BEFORE_ADMIN = 100;

export interface ThrottleState {
  locked: boolean;
  needsAdmin: boolean;
  /** Milliseconds until the next attempt is allowed; 0 when unlocked, Infinity when an admin must act. */
  retryAfterMs: number;
}

export function throttleState(row: AuthThrottleRow | undefined, now: number): ThrottleState {
  if (!row) return { locked: false, needsAdmin: false, retryAfterMs: 0 };
  if (row.needs_admin) return { locked: true, needsAdmin: true, retryAfterMs: Infinity };
  const retryAfterMs = Math.max(0, (row.locked_until ?? 0) - now);
  return { locked: retryAfterMs > 0, needsAdmin: false, retryAfterMs };
}

/** Lock length after the n-th consecutive failure: 1 min at the 5th, doubling, at most 15 min. */
export function lockDurationMs(consecutiveFailures: number): number {
  if (consecutiveFailures < FAILURES_BEFORE_LOCK) return 0;
  return Math.min(MAX_LOCK_MS, FIRST_LOCK_MS * 2 ** (consecutiveFailures - FAILURES_BEFORE_LOCK));
}

/** The counters after one more failure, and whether this failure started a lock. */
export function recordFailure(
  subject: string,
  row: AuthThrottleRow | undefined,
  now: number,
): { row: AuthThrottleRow; lockMs: number; needsAdmin: boolean } {
  const consecutive = (row?.consecutive_failures ?? 0) + 1;
  const sinceSuccess = (row?.failures_since_success ?? 0) + 1;
  const needsAdmin = sinceSuccess >= FAILURES_BEFORE_ADMIN;
  const lockMs = lockDurationMs(consecutive);
  return {
    row: {
      subject,
      consecutive_failures: consecutive,
      failures_since_success: sinceSuccess,
      locked_until: lockMs > 0 ? now + lockMs : null,
      needs_admin: needsAdmin ? 1 : 0,
      last_failure_at: now,
    },
    lockMs,
    needsAdmin,
  };
}

export function formatWait(ms: number): string {
  if (!Number.isFinite(ms)) return 'until an administrator unlocks it';
  const seconds = Math.ceil(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  return rest ? `${minutes} min ${rest} s` : `${minutes} min`;
}
