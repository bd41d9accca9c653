import type { AccountNotice, AccountNoticeKind } from '../../shared/domain';
import type { Db } from './schema';
import { findUserById } from './users.store';

export interface NewNotice {
  kind: AccountNoticeKind;
  actorName: string;
  actorEmail: string;
  createdAt: number;
}

/** A notice of what `admin` did, naming them as the user knows them (their name, else email). */
export async function noticeFromAdmin(
  db: Db,
  admin: { id: string; email: string },
  kind: AccountNoticeKind,
  createdAt: number,
): Promise<NewNotice> {
  const row = await findUserById(db, admin.id);
  return { kind, actorName: row?.name ?? admin.email, actorEmail: admin.email, createdAt };
}

export async function addNotice(db: Db, userId: string, notice: NewNotice): Promise<void> {
  await db
    .insertInto('account_notices')
    .values({
      user_id: userId,
      kind: notice.kind,
      actor_name: notice.actorName,
      actor_email: notice.actorEmail,
      created_at: notice.createdAt,
    })
    .execute();
}

/** One notice for every user whose 2FA is active, except the admin who caused it. */
export async function addNoticeForActiveTwoFactorUsers(
  db: Db,
  exceptUserId: string,
  notice: NewNotice,
): Promise<void> {
  await db
    .insertInto('account_notices')
    .columns(['user_id', 'kind', 'actor_name', 'actor_email', 'created_at'])
    .expression((eb) =>
      eb
        .selectFrom('two_factor')
        .select([
          'two_factor.user_id',
          eb.val(notice.kind).as('kind'),
          eb.val(notice.actorName).as('actor_name'),
          eb.val(notice.actorEmail).as('actor_email'),
          eb.val(notice.createdAt).as('created_at'),
        ])
        .where('two_factor.status', '=', 'active')
        .where('two_factor.user_id', '!=', exceptUserId),
    )
    .execute();
}

export async function listOpenNotices(db: Db, userId: string): Promise<AccountNotice[]> {
  const rows = await db
    .selectFrom('account_notices')
    .select(['id', 'kind', 'created_at', 'actor_name', 'actor_email'])
    .where('user_id', '=', userId)
    .where('dismissed_at', 'is', null)
    .orderBy('id', 'desc')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    kind: row.kind,
    at: row.created_at,
    byName: row.actor_name,
    byEmail: row.actor_email,
  }));
}

/** Dismisses one of the user's own open notices; the number of notices it dismissed (0 or 1). */
export async function dismissNotice(
  db: Db,
  userId: string,
  noticeId: number,
  now: number,
): Promise<number> {
  const result = await db
    .updateTable('account_notices')
    .set({ dismissed_at: now })
    .where('id', '=', noticeId)
    .where('user_id', '=', userId)
    .where('dismissed_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
