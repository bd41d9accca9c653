import { sql, type Kysely } from 'kysely';
import { engineOf } from '../engine';

/**
 * Organization, users, sessions and the append-only, hash-chained audit trail.
 * Migrations take `Kysely<any>` on purpose: they must not depend on today's schema types.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('organization')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('two_factor_enabled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('two_factor_required', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addCheckConstraint('organization_single_row', sql`id = 1`)
    .execute();

  await db.schema
    .createTable('users')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('active'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addCheckConstraint('users_role', sql`role in ('member', 'site_admin', 'enterprise_admin')`)
    .addCheckConstraint('users_status', sql`status in ('active', 'deactivated')`)
    .execute();

  await db.schema
    .createTable('sessions')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('second_factor_pending', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_seen_at', 'bigint', (c) => c.notNull())
    .addColumn('ip', 'text', (c) => c.notNull())
    .addColumn('user_agent', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute();

  await db.schema
    .createTable('audit_events')
    .addColumn('id', ...engineOf(db).generatedId())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('ts', 'bigint', (c) => c.notNull())
    .addColumn('user_id', 'text')
    .addColumn('email', 'text')
    .addColumn('ip', 'text')
    .addColumn('user_agent', 'text')
    .addColumn('method', 'text')
    .addColumn('details', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('source', 'text')
    .addColumn('prev_hash', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull().unique())
    .execute();
  // Indexes for the audit page's filters; every page query must be able to use one.
  await db.schema.createIndex('audit_type_ts').on('audit_events').columns(['type', 'ts']).execute();
  await db.schema
    .createIndex('audit_user_ts')
    .on('audit_events')
    .columns(['user_id', 'ts'])
    .execute();
  await db.schema.createIndex('audit_ip_ts').on('audit_events').columns(['ip', 'ts']).execute();
  await db.schema.createIndex('audit_ts').on('audit_events').columns(['ts', 'id']).execute();

  // The trail is append-only even for code that forgets: the database itself refuses changes.
  await engineOf(db).createAppendOnlyTrigger(db, 'update');
  await engineOf(db).createAppendOnlyTrigger(db, 'delete');
}
