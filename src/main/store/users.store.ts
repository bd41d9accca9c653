import { sql } from 'kysely';
import type { Db, NewUserRow, UserRow } from './schema';

export async function findUserByEmail(db: Db, email: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
}

export async function findUserById(db: Db, id: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertUser(db: Db, row: NewUserRow): Promise<void> {
  await db.insertInto('users').values(row).execute();
}

export async function updatePasswordHash(
  db: Db,
  userId: string,
  passwordHash: string,
): Promise<void> {
  await db
    .updateTable('users')
    .set({ password_hash: passwordHash })
    .where('id', '=', userId)
    .execute();
}

/** Everything the users' 2FA view shows, for every user, in one query. */
export interface UserOverviewRow {
  id: string;
  email: string;
  name: string;
  role: UserRow['role'];
  status: UserRow['status'];
  created_at: number;
  two_factor_status: 'pending' | 'active' | null;
  last_verified_at: number | null;
  last_method: 'totp' | 'backup_code' | null;
  backup_codes_left: number | null;
  failures_since: number | null;
  second_factor_locked_until: number | null;
  second_factor_needs_admin: number | null;
  password_locked_until: number | null;
  password_needs_admin: number | null;
}

/**
 * Users with their 2FA configuration, unused backup codes, failed verifications since
 * `failuresSinceMs` and lockout counters. Aggregates are grouped once per table, not per user,
 * so the cost stays flat at ten thousand users.
 */
export async function listUserOverviews(
  db: Db,
  options: { failuresSinceMs: number; failedType: string; userId?: string },
): Promise<UserOverviewRow[]> {
  let query = db
    .selectFrom('users as u')
    .leftJoin('two_factor as tf', 'tf.user_id', 'u.id')
    .leftJoin(
      db
        .selectFrom('backup_codes')
        .select(['user_id', (eb) => eb.fn.countAll<number>().as('n')])
        .where('used_at', 'is', null)
        .groupBy('user_id')
        .as('bc'),
      'bc.user_id',
      'u.id',
    )
    .leftJoin(
      db
        .selectFrom('audit_events')
        .select(['user_id', (eb) => eb.fn.countAll<number>().as('n')])
        .where('type', '=', options.failedType)
        .where('ts', '>=', options.failuresSinceMs)
        .groupBy('user_id')
        .as('af'),
      'af.user_id',
      'u.id',
    )
    .leftJoin('auth_throttle as t2', (join) =>
      join.on('t2.subject', '=', sql<string>`'second_factor:' || ${sql.ref('u.id')}`),
    )
    .leftJoin('auth_throttle as tp', (join) =>
      join.on('tp.subject', '=', sql<string>`'password:' || ${sql.ref('u.email')}`),
    )
    .select([
      'u.id',
      'u.email',
      'u.name',
      'u.role',
      'u.status',
      'u.created_at',
      'tf.status as two_factor_status',
      'tf.last_verified_at',
      'tf.last_method',
      'bc.n as backup_codes_left',
      'af.n as failures_since',
      't2.locked_until as second_factor_locked_until',
      't2.needs_admin as second_factor_needs_admin',
      'tp.locked_until as password_locked_until',
      'tp.needs_admin as password_needs_admin',
    ])
    .orderBy('u.email');
  if (options.userId) query = query.where('u.id', '=', options.userId);
  return (await query.execute()) as UserOverviewRow[];
}

export async function countActiveAdmins(db: Db): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('status', '=', 'active')
    .where('role', 'in', ['site_admin', 'enterprise_admin'])
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function setUserRole(db: Db, userId: string, role: UserRow['role']): Promise<void> {
  await db.updateTable('users').set({ role }).where('id', '=', userId).execute();
}

export async function setUserStatus(
  db: Db,
  userId: string,
  status: UserRow['status'],
): Promise<void> {
  await db.updateTable('users').set({ status }).where('id', '=', userId).execute();
}

export async function findUsersByEmails(db: Db, emails: string[]): Promise<string[]> {
  if (emails.length === 0) return [];
  const found: string[] = [];
  // Chunked: SQLite caps the number of bound variables in one statement.
  for (let i = 0; i < emails.length; i += 500) {
    const rows = await db
      .selectFrom('users')
      .select('email')
      .where('email', 'in', emails.slice(i, i + 500))
      .execute();
    found.push(...rows.map((r) => r.email));
  }
  return found;
}

/** Active users, and how many of them have 2FA set up: the rollout's adoption figure. */
export async function adoptionCounts(db: Db): Promise<{ enrolled: number; total: number }> {
  const row = await db
    .selectFrom('users')
    .leftJoin('two_factor', 'two_factor.user_id', 'users.id')
    .select((eb) => [
      eb.fn.countAll<number>().as('total'),
      eb.fn
        .sum<number>(eb.case().when('two_factor.status', '=', 'active').then(1).else(0).end())
        .as('enrolled'),
    ])
    .where('users.status', '=', 'active')
    .executeTakeFirstOrThrow();
  return { enrolled: Number(row.enrolled ?? 0), total: Number(row.total) };
}
