import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../../../tests/support/temp-app';
import { databaseAtMigration } from '../../../../tests/support/migrate-to';
import { DatabaseTooNewError, openDatabase } from '../database';

describe('migration 0001-initial on a real SQLite file', () => {
  const temp = makeTempDir();
  afterAll(() => temp.cleanup());

  it('creates its tables and indexes from an empty file', async () => {
    const db = await databaseAtMigration(path.join(temp.dir, 'at-0001.sqlite'), '0001-initial');
    const tables = (await db.introspection.getTables()).map((t) => t.name).sort();
    expect(tables).toEqual(['audit_events', 'organization', 'sessions', 'users']);
    await db.destroy();
  });

  it('opens a new file owner-only, in WAL mode, with the audit indexes', async () => {
    const file = path.join(temp.dir, 'fresh.sqlite');
    const { db, close } = await openDatabase(file);
    const indexes = await sql<{
      name: string;
    }>`SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'audit_%'`.execute(db);
    expect(indexes.rows.map((r) => r.name).sort()).toEqual([
      'audit_content_hash',
      'audit_email_ts',
      'audit_ipkey_ts',
      'audit_success_user_ts',
      'audit_ts',
      'audit_type_ts',
      'audit_user_ts',
      'audit_verify_network_ts',
      'audit_verify_user_network_ts',
    ]);
    const mode = await sql<{ journal_mode: string }>`PRAGMA journal_mode`.execute(db);
    expect(mode.rows[0]?.journal_mode).toBe('wal');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    await close();
  });

  it('is idempotent: reopening keeps data and runs nothing twice', async () => {
    const file = path.join(temp.dir, 'reopen.sqlite');
    const first = await openDatabase(file);
    await first.db
      .insertInto('organization')
      .values({ id: 1, name: 'Acme', two_factor_enabled: 0, two_factor_required: 0, created_at: 1 })
      .execute();
    await first.close();
    const second = await openDatabase(file);
    expect(await second.db.selectFrom('organization').select('name').execute()).toEqual([
      { name: 'Acme' },
    ]);
    await second.close();
  });

  it('makes the audit trail append-only in the database itself', async () => {
    const { db, close } = await openDatabase(path.join(temp.dir, 'append-only.sqlite'));
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
    const { db, close } = await openDatabase(path.join(temp.dir, 'single-org.sqlite'));
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

  it('refuses a database written by a newer version and leaves its bytes untouched', async () => {
    const file = path.join(temp.dir, 'newer.sqlite');
    const { db, close } = await openDatabase(file);
    await sql`INSERT INTO kysely_migration (name, timestamp) VALUES ('9999-from-the-future', '2030-01-01T00:00:00.000Z')`.execute(
      db,
    );
    await sql`PRAGMA wal_checkpoint(TRUNCATE)`.execute(db);
    await close();
    const digest = () => createHash('sha256').update(fs.readFileSync(file)).digest('hex');
    const before = digest();

    const attempt = openDatabase(file);
    await expect(attempt).rejects.toBeInstanceOf(DatabaseTooNewError);
    await expect(attempt).rejects.toThrow(
      /newer version of Org 2FA Console.*9999-from-the-future.*not changed/,
    );
    expect(digest()).toBe(before);
  });
});
