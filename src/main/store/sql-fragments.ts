import { sql } from 'kysely';
import type { AnyKysely } from './engine';

/**
 * SQL fragments both engines read the same way. What differs between them is store/engine.ts's
 * `Engine`, never here.
 */

/** A failure counts as a typo when the same user succeeds within this time after it. */
export const TYPO_GRACE_MS = 10 * 60 * 1000;

export const HOUR_MS = 3_600_000;

/**
 * The hour (since the epoch, floored, also before 1970) of an integer millisecond column, as
 * SQL both engines read the same way: their integer division truncates toward zero.
 */
export function hourOf(column: string) {
  const ts = `CAST(${column} AS BIGINT)`;
  return sql.raw(
    `(CASE WHEN ${ts} >= 0 THEN ${ts} / ${HOUR_MS} ELSE (${ts} + 1) / ${HOUR_MS} - 1 END)`,
  );
}

/** Fills an empty audit_hourly_counts from the trail (the migration, and the repair). */
export async function countTrailByHour(db: AnyKysely): Promise<void> {
  await sql`INSERT INTO audit_hourly_counts (hour, type, n)
    SELECT ${hourOf('ts')}, type, count(*) FROM audit_events GROUP BY 1, 2`.execute(db);
}
