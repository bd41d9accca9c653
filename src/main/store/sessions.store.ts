import type { Db, NewSessionRow, SessionRow } from './schema';

export async function insertSession(db: Db, row: NewSessionRow): Promise<void> {
  await db.insertInto('sessions').values(row).execute();
}

export async function findSession(db: Db, tokenHash: string): Promise<SessionRow | undefined> {
  return db
    .selectFrom('sessions')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst();
}

export async function touchSession(db: Db, tokenHash: string, lastSeenAt: number): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ last_seen_at: lastSeenAt })
    .where('token_hash', '=', tokenHash)
    .execute();
}

export async function deleteSession(db: Db, tokenHash: string): Promise<void> {
  await db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
}

/** Drops sessions idle since `idleBefore` or created before `createdBefore`. */
export async function deleteExpiredSessions(
  db: Db,
  idleBefore: number,
  createdBefore: number,
): Promise<void> {
  await db
    .deleteFrom('sessions')
    .where((eb) =>
      eb.or([eb('last_seen_at', '<', idleBefore), eb('created_at', '<', createdBefore)]),
    )
    .execute();
}

export async function completeSecondFactor(db: Db, tokenHash: string, now: number): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ second_factor_pending: 0, last_seen_at: now, reauthenticated_at: now })
    .where('token_hash', '=', tokenHash)
    .execute();
}

/** Ends every session of a user except `keepTokenHash` (after a password change, say). */
export async function deleteOtherSessions(
  db: Db,
  userId: string,
  keepTokenHash: string,
): Promise<void> {
  await db
    .deleteFrom('sessions')
    .where('user_id', '=', userId)
    .where('token_hash', '!=', keepTokenHash)
    .execute();
}

export async function deleteUserSessions(db: Db, userId: string): Promise<void> {
  await db.deleteFrom('sessions').where('user_id', '=', userId).execute();
}

export async function markReauthenticated(db: Db, tokenHash: string, now: number): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ reauthenticated_at: now })
    .where('token_hash', '=', tokenHash)
    .execute();
}
