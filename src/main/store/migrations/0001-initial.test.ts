import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../../../tests/support/temp-app';
import { createTestDatabase, engineName, onPostgres } from '../../../../tests/support/engine';
import { databaseAtMigration, indexNamesOf } from '../../../../tests/support/migrate-to';
import { DatabaseTooNewError, openDatabase } from '../database';
import { connectPostgres } from '../postgres';
import type { Db } from '../schema';

describe(`migration 0001-initial on a real database (${engineName})`, () => {
  const temp = makeTempDir();
  const drops: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const drop of drops) await drop();
    temp.cleanup();
  });

  /** Where a new console's database goes: a file in the temp folder, or a new server database. */
  async function newLocation(file: string): Promise<string> {
    if (!onPostgres) return path.join(temp.dir, file);
    const database = await createTestDatabase();
    drops.push(() => database.drop());
    return database.url;
  }

  it('creates its tables and indexes from an empty database', async () => {
    const { db, close } = await databaseAtMigration(
      path.join(temp.dir, 'at-0001.sqlite'),
      '0001-initial',
    );
    const tables = (await db.introspection.getTables()).map((t) => t.name).sort();
    expect(tables).toEqual(['audit_events', 'organization', 'sessions', 'users']);
    await close();
  });

  it('opens a new database with the audit indexes (a file: owner-only, in WAL mode)', async () => {
    const location = await newLocation('fresh.sqlite');
    const { db, close } = await openDatabase(location);
    const indexes = await indexNamesOf(db);
    expect(indexes.filter((name) => name.startsWith('audit_'))).toEqual([
      'audit_backup_code_user_ts',
      'audit_content_hash',
      'audit_email_ts',
      'audit_failed_ts_user_ip',
      'audit_ipkey_ts',
      'audit_success_user_ts',
      'audit_ts',
      'audit_type_ts',
      'audit_user_ts',
      'audit_verify_ip_ts',
      'audit_verify_network_ts',
      'audit_verify_user_network_ts',
      'audit_verify_user_network_type_ts',
    ]);
    if (!onPostgres) {
      const mode = await sql<{ journal_mode: string }>`PRAGMA journal_mode`.execute(db);
      expect(mode.rows[0]?.journal_mode).toBe('wal');
      expect(fs.statSync(location).mode & 0o777).toBe(0o600);
    }
    await close();
  });

  it('is idempotent: reopening keeps data and runs nothing twice', async () => {
    const location = await newLocation('reopen.sqlite');
    const first = await openDatabase(location);
    await first.db
      .insertInto('organization')
      .values({ id: 1, name: 'Acme', two_factor_enabled: 0, two_factor_required: 0, created_at: 1 })
      .execute();
    await first.close();
    const second = await openDatabase(location);
    expect(await second.db.selectFrom('organization').select('name').execute()).toEqual([
      { name: 'Acme' },
    ]);
    await second.close();
  });

  it('makes the audit trail append-only in the database itself', async () => {
    const { db, close } = await openDatabase(await newLocation('append-only.sqlite'));
    await db
      .insertInto('audit_events')
      .values({ type: 't', ts: 1, details: '{}', prev_hash: 'a', hash: 'b' })
      .execute();
    await expect(db.updateTable('audit_events').set({ type: 'x' }).execute()).rejects.toThrow(
      /append-only/,
    );
    await expect(db.deleteFrom('audit_events').execute()).rejects.toThrow(/append-only/);
    expect(await db.selectFrom('audit_events').select('type').execute()).toEqual([{ type: 't' }]);
    await close();
  });

  it('keeps a single organization row', async () => {
    const { db, close } = await openDatabase(await newLocation('single-org.sqlite'));
    await expect(
      db
        .insertInto('organization')
        .values({
          id: 2,
          name: 'Other',
          two_factor_enabled: 0,
          two_factor_required: 0,
          created_at: 1,
        })
        .execute(),
    ).rejects.toThrow();
    await close();
  });

  it('refuses a database written by a newer version and leaves it untouched', async () => {
    const location = await newLocation('newer.sqlite');
    const { db, close } = await openDatabase(location);
    await sql`INSERT INTO kysely_migration (name, timestamp) VALUES ('9999-from-the-future', '2030-01-01T00:00:00.000Z')`.execute(
      db,
    );
    // A file's bytes, or what a server database holds of its schema.
    let digest: () => Promise<string>;
    if (onPostgres) {
      digest = async () => {
        const reader = connectPostgres(location, { max: 1 });
        try {
          return await schemaDigest(reader);
        } finally {
          await reader.destroy();
        }
      };
    } else {
      await sql`PRAGMA wal_checkpoint(TRUNCATE)`.execute(db);
      digest = async () => createHash('sha256').update(fs.readFileSync(location)).digest('hex');
    }
    await close();
    const before = await digest();

    const attempt = openDatabase(location);
    await expect(attempt).rejects.toBeInstanceOf(DatabaseTooNewError);
    await expect(attempt).rejects.toThrow(
      /newer version of Org 2FA Console.*9999-from-the-future.*not changed/,
    );
    expect(await digest()).toBe(before);
  });
});

/**
 * What a PostgreSQL database holds of its schema, hashed: every column of every table, every
 * index and trigger, every recorded migration. A migration run would change it.
 */
async function schemaDigest(db: Db): Promise<string> {
  const parts = await sql<{ part: string }>`
    SELECT table_name || '.' || column_name || ':' || data_type AS part
      FROM information_schema.columns WHERE table_schema = 'public'
    UNION ALL SELECT indexdef FROM pg_indexes WHERE schemaname = 'public'
    UNION ALL SELECT trigger_name || ':' || event_manipulation FROM information_schema.triggers
    UNION ALL SELECT 'migration ' || name || ' ' || timestamp FROM kysely_migration
    ORDER BY 1`.execute(db);
  return createHash('sha256')
    .update(parts.rows.map((row) => row.part).join('\n'))
    .digest('hex');
}
