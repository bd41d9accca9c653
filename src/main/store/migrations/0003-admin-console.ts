import type { Kysely } from 'kysely';

/**
 * Admin console: the requirement by role, each user's last successful verification (so the
 * users view needs no scan of the audit trail), and the time a session last re-authenticated
 * (sensitive admin actions need it recent).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's schema types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('organization')
    .addColumn('two_factor_required_for', 'text', (c) => c.notNull().defaultTo('everyone'))
    .execute();
  await db.schema.alterTable('two_factor').addColumn('last_verified_at', 'bigint').execute();
  await db.schema.alterTable('two_factor').addColumn('last_method', 'text').execute();
  await db.schema.alterTable('sessions').addColumn('reauthenticated_at', 'bigint').execute();
}
