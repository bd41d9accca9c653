import { sql, type Kysely } from 'kysely';

const VERIFY_SUCCESS = 'com.alaigned.auth.2fa.verify.success';
const VERIFY_FAILED = 'com.alaigned.auth.2fa.verify.failed';

/**
 * Verifications by network and time: counting what one network did in a period (the
 * new-network and spray findings) reads that network's entries instead of every verification
 * in the period, which for 90 days of a large org is most of the trail.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's schema types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('audit_verify_network_ts')
    .on('audit_events')
    .columns(['network', 'ts'])
    .where(sql.ref('type'), 'in', [VERIFY_SUCCESS, VERIFY_FAILED])
    .execute();
}
