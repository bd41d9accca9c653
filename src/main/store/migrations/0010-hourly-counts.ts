import type { Kysely } from 'kysely';
import { countTrailByHour } from '../sql-fragments';

/**
 * Events per hour and type, added to in the same transaction as the events themselves (the trail
 * never changes after). The timeline and the counts by type read whole hours from here: a 90-day
 * chart sums about 2,000 rows instead of scanning most of the trail, on either engine.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's schema types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('audit_hourly_counts')
    .addColumn('hour', 'bigint', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('n', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('audit_hourly_counts_pk', ['hour', 'type'])
    .execute();
  await countTrailByHour(db);
}
