import type { Kysely } from 'kysely';

/**
 * Country, network operator and coordinates per distinct address (offline geo data). A table of
 * its own rather than columns on the trail: the trail is append-only and hash-chained, and the
 * admin may switch to a better database later; then only this table is refilled.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's schema types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('ip_locations')
    .addColumn('ip', 'text', (c) => c.primaryKey())
    .addColumn('internal', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('country', 'text')
    .addColumn('asn', 'bigint')
    .addColumn('as_org', 'text')
    .addColumn('latitude', 'double precision')
    .addColumn('longitude', 'double precision')
    .execute();
  await db.schema.createIndex('ip_locations_asn').on('ip_locations').column('asn').execute();
  await db.schema
    .createIndex('ip_locations_country')
    .on('ip_locations')
    .column('country')
    .execute();
}
