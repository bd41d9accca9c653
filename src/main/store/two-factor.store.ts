import type { Db, TwoFactorRow } from './schema';

export async function findTwoFactor(db: Db, userId: string): Promise<TwoFactorRow | undefined> {
  return db.selectFrom('two_factor').selectAll().where('user_id', '=', userId).executeTakeFirst();
}

/** Stores a new pending configuration, replacing any earlier one (pending or not). */
export async function putPendingTwoFactor(
  db: Db,
  userId: string,
  secretCiphertext: string,
  now: number,
): Promise<void> {
  await db.deleteFrom('two_factor').where('user_id', '=', userId).execute();
  await db
    .insertInto('two_factor')
    .values({
      user_id: userId,
      secret_ciphertext: secretCiphertext,
      status: 'pending',
      created_at: now,
      activated_at: null,
      last_used_step: -1,
    })
    .execute();
}

export async function activateTwoFactor(
  db: Db,
  userId: string,
  step: number,
  now: number,
): Promise<void> {
  await db
    .updateTable('two_factor')
    .set({ status: 'active', activated_at: now, last_used_step: step })
    .where('user_id', '=', userId)
    .execute();
}

/**
 * Records `step` as used, only if it is newer than the last used one. Returns false when another
 * request got there first: the code was just used.
 */
export async function advanceLastUsedStep(db: Db, userId: string, step: number): Promise<boolean> {
  const result = await db
    .updateTable('two_factor')
    .set({ last_used_step: step })
    .where('user_id', '=', userId)
    .where('last_used_step', '<', step)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function deleteTwoFactor(db: Db, userId: string): Promise<void> {
  await db.deleteFrom('two_factor').where('user_id', '=', userId).execute();
}

export async function recordSuccessfulVerification(
  db: Db,
  userId: string,
  method: 'totp' | 'backup_code',
  now: number,
): Promise<void> {
  await db
    .updateTable('two_factor')
    .set({ last_verified_at: now, last_method: method })
    .where('user_id', '=', userId)
    .execute();
}
