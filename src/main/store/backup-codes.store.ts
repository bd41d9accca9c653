import type { BackupCodeRow, Db } from './schema';

export interface NewBackupCode {
  salt: string;
  codeHash: string;
}

/** Replaces every backup code of the user with `codes`. */
export async function replaceBackupCodes(
  db: Db,
  userId: string,
  codes: NewBackupCode[],
  now: number,
): Promise<void> {
  await db.deleteFrom('backup_codes').where('user_id', '=', userId).execute();
  await db
    .insertInto('backup_codes')
    .values(
      codes.map((c) => ({
        user_id: userId,
        salt: c.salt,
        code_hash: c.codeHash,
        created_at: now,
        used_at: null,
      })),
    )
    .execute();
}

export async function unusedBackupCodes(db: Db, userId: string): Promise<BackupCodeRow[]> {
  return db
    .selectFrom('backup_codes')
    .selectAll()
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .orderBy('id')
    .execute();
}

export async function countUnusedBackupCodes(db: Db, userId: string): Promise<number> {
  const row = await db
    .selectFrom('backup_codes')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Marks a code used if nobody else did first; false means it was already spent. */
export async function consumeBackupCode(db: Db, id: number, now: number): Promise<boolean> {
  const result = await db
    .updateTable('backup_codes')
    .set({ used_at: now })
    .where('id', '=', id)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function deleteBackupCodes(db: Db, userId: string): Promise<void> {
  await db.deleteFrom('backup_codes').where('user_id', '=', userId).execute();
}
