import { sql, type Kysely } from 'kysely';
import { engineOf } from '../engine';

/**
 * Two-factor state: each user's TOTP configuration (secret encrypted), backup-code hashes,
 * the throttle/lockout counters, and a key check so a wrong key file is caught at start.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's schema types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('two_factor')
    .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('secret_ciphertext', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('activated_at', 'bigint')
    // Highest TOTP time step ever accepted: a code at or below it is a replay.
    .addColumn('last_used_step', 'bigint', (c) => c.notNull().defaultTo(-1))
    .addCheckConstraint('two_factor_status', sql`status in ('pending', 'active')`)
    .execute();

  await db.schema
    .createTable('backup_codes')
    .addColumn('id', ...engineOf(db).generatedId())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('salt', 'text', (c) => c.notNull())
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('used_at', 'bigint')
    .execute();
  await db.schema.createIndex('backup_codes_user').on('backup_codes').column('user_id').execute();

  await db.schema
    .createTable('auth_throttle')
    // 'password:<email>' or 'second_factor:<user id>': unknown e-mails are throttled too, so a
    // lockout never tells an attacker which accounts exist.
    .addColumn('subject', 'text', (c) => c.primaryKey())
    .addColumn('consecutive_failures', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('failures_since_success', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('locked_until', 'bigint')
    .addColumn('needs_admin', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_failure_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('meta')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();
}
