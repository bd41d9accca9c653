import { sql, type Kysely } from 'kysely';

const VERIFY_SUCCESS = 'com.alaigned.auth.2fa.verify.success';

/**
 * Each user's successful verifications by network: "has this user succeeded from this network
 * (or from anywhere in this country) in the last 90 days" becomes an index seek, and a user's
 * networks of the lookback are read without the table (new_country, failures_then_success,
 * admin_takeover_signals). Failures are left out on purpose: an attacker's failed attempts must
 * not make their network or country familiar.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's schema types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('audit_success_user_network_ts')
    .on('audit_events')
    .columns(['user_id', 'network', 'ts'])
    .where(sql.ref('type'), '=', VERIFY_SUCCESS)
    .execute();
}
