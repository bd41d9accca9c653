import { describe, expect, it } from 'vitest';
import { formatWait, lockDurationMs, recordFailure, throttleState } from './throttle';

describe('throttle policy', () => {
  it('waits 1 min after the 5th failure, doubling to at most 15 min', () => {
    const minutes = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 20].map((n) => lockDurationMs(n) / 60_000);
    expect(minutes).toEqual([0, 0, 0, 0, 1, 2, 4, 8, 15, 15, 15]);
  });

  it('needs an admin after 100 failures without a success, however slowly they came', () => {
    let row = undefined;
    for (let i = 1; i <= 100; i++) {
      const next = recordFailure('s', row, i * 3_600_000);
      row = { ...next.row, consecutive_failures: 0 }; // as if every wait had been sat out
      expect(next.needsAdmin).toBe(i === 100);
    }
    expect(throttleState(row, Number.MAX_SAFE_INTEGER)).toEqual({
      locked: true,
      needsAdmin: true,
      retryAfterMs: Infinity,
    });
  });

  it('reports the remaining wait against the given clock', () => {
    const { row } = recordFailure(
      's',
      {
        subject: 's',
        consecutive_failures: 4,
        failures_since_success: 4,
        locked_until: null,
        needs_admin: 0,
        last_failure_at: 0,
      },
      1_000,
    );
    expect(throttleState(row, 31_000)).toEqual({
      locked: true,
      needsAdmin: false,
      retryAfterMs: 30_000,
    });
    expect(throttleState(row, 61_000).locked).toBe(false);
    expect(formatWait(90_000)).toBe('1 min 30 s');
    expect(formatWait(15_000)).toBe('15 s');
  });
});
