import { sql, type Kysely } from 'kysely';

const VERIFY_SUCCESS = 'com.alaigned.auth.2fa.verify.success';

/**
 * A partial index of each user's successful verifications: whether someone has an established
 * baseline (the new-network pattern) becomes a few index seeks instead of reading their history.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's schema types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('audit_success_user_ts')
    .on('audit_events')
    .columns(['user_id', 'ts'])
    .where(sql.ref('type'), '=', VERIFY_SUCCESS)
    .execute();
}
