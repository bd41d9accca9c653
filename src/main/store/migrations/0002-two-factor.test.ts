import path from 'node:path';
import { Migrator } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { databaseAtMigration, refused } from '../../../../tests/support/migrate-to';
import { makeTempDir } from '../../../../tests/support/temp-app';
import { migrations } from '.';

describe('migration 0002-two-factor: 0001 → 0002 on real data', () => {
  const temp = makeTempDir();
  afterAll(() => temp.cleanup());

  it('keeps the org, users and audit trail, and adds empty two-factor tables that work', async () => {
    const { db, close } = await databaseAtMigration(
      path.join(temp.dir, 'm2.sqlite'),
      '0001-initial',
    );
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the 0001 shape, not today's
    const old = db as any;
    await old
      .insertInto('organization')
      .values({ id: 1, name: 'Acme', two_factor_enabled: 1, two_factor_required: 0, created_at: 1 })
      .execute();
    await old
      .insertInto('users')
      .values({
        id: 'u1',
        email: 'a@acme.test',
        name: 'A',
        role: 'site_admin',
        password_hash: 'x',
        status: 'active',
        created_at: 1,
      })
      .execute();
    await old
      .insertInto('audit_events')
      .values({ type: 't', ts: 1, details: '{}', prev_hash: '0', hash: 'h1' })
      .execute();

    const { error } = await new Migrator({
      db,
      provider: { getMigrations: async () => migrations },
    }).migrateTo('0002-two-factor');
    expect(error).toBeUndefined();
    expect(await db.selectFrom('users').select(['email', 'role']).execute()).toEqual([
      { email: 'a@acme.test', role: 'site_admin' },
    ]);
    expect(await db.selectFrom('audit_events').select('hash').execute()).toEqual([{ hash: 'h1' }]);
    for (const table of ['two_factor', 'backup_codes', 'auth_throttle', 'meta'] as const) {
      expect(await db.selectFrom(table).selectAll().execute()).toEqual([]);
    }
    await old
      .insertInto('two_factor')
      .values({ user_id: 'u1', secret_ciphertext: 'v1:x', status: 'pending', created_at: 2 })
      .execute();
    expect(
      await old.selectFrom('two_factor').select(['status', 'last_used_step']).execute(),
    ).toEqual([{ status: 'pending', last_used_step: -1 }]);
    // A configuration must belong to a user.
    await expect(
      old
        .insertInto('two_factor')
        .values({ user_id: 'nobody', secret_ciphertext: 'v1:x', status: 'pending', created_at: 2 })
        .execute(),
    ).rejects.toThrow(refused.foreignKey);
    await expect(
      old
        .insertInto('backup_codes')
        .values({ user_id: 'u1', salt: 's', code_hash: 'h', created_at: 3 })
        .execute(),
    ).resolves.toBeDefined();
    await close();
  });
});
