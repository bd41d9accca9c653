import { sql, type Kysely } from 'kysely';

const VERIFY_SUCCESS = 'com.alaigned.auth.2fa.verify.success';
const VERIFY_FAILED = 'com.alaigned.auth.2fa.verify.failed';

/**
 * Each user's verifications by network and outcome: where a user verified and where they
 * succeeded, first and last, over 90 days are read from the index alone in one pass (with the
 * type inside the index, no row is read to tell a success from a failure), and "has this user
 * succeeded from this network lately" is one seek (new_country, impossible_travel,
 * failures_then_success, admin_takeover_signals).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's schema types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('audit_verify_user_network_type_ts')
    .on('audit_events')
    .columns(['user_id', 'network', 'type', 'ts'])
    .where(sql.ref('type'), 'in', [VERIFY_SUCCESS, VERIFY_FAILED])
    .execute();
}
