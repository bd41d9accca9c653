import { sql, type Kysely } from 'kysely';

/**
 * The rollout (one row: the announcement and the planned enforcement date) and message
 * templates (edits of the two defaults, and the org's own).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's schema types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('rollout')
    .addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
    .addColumn('announced_at', 'bigint', (c) => c.notNull())
    .addColumn('announced_by', 'text', (c) => c.notNull())
    .addColumn('enforcement_date', 'text', (c) => c.notNull())
    .addColumn('override_reason', 'text')
    .execute();
  await db.schema
    .createTable('message_templates')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .execute();
}
