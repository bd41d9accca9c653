import type { AuthThrottleRow, Db } from './schema';

export async function findThrottle(db: Db, subject: string): Promise<AuthThrottleRow | undefined> {
  return db
    .selectFrom('auth_throttle')
    .selectAll()
    .where('subject', '=', subject)
    .executeTakeFirst();
}

export async function saveThrottle(db: Db, row: AuthThrottleRow): Promise<void> {
  await db
    .insertInto('auth_throttle')
    .values(row)
    .onConflict((oc) =>
      oc.column('subject').doUpdateSet({
        consecutive_failures: row.consecutive_failures,
        failures_since_success: row.failures_since_success,
        locked_until: row.locked_until,
        needs_admin: row.needs_admin,
        last_failure_at: row.last_failure_at,
      }),
    )
    .execute();
}

export async function deleteThrottle(db: Db, subject: string): Promise<void> {
  await db.deleteFrom('auth_throttle').where('subject', '=', subject).execute();
}

/** Drops every lockout counter of a user (second factor and password). */
export async function clearUserThrottles(db: Db, userId: string, email: string): Promise<number> {
  const result = await db
    .deleteFrom('auth_throttle')
    .where('subject', 'in', [`second_factor:${userId}`, `password:${email}`])
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
