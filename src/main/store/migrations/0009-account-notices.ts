import type { Kysely } from 'kysely';
import { engineOf } from '../engine';

/**
 * Notices for a user about what an admin did to their account (their 2FA reset, or turned off
 * for the org), shown on their next visit until they dismiss them.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's schema types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('account_notices')
    .addColumn('id', ...engineOf(db).generatedId({ neverReused: true }))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('actor_name', 'text', (c) => c.notNull())
    .addColumn('actor_email', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('dismissed_at', 'bigint')
    .execute();
  await db.schema
    .createIndex('account_notices_open')
    .on('account_notices')
    .columns(['user_id', 'dismissed_at'])
    .execute();
}
