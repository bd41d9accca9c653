import path from 'node:path';
import { Migrator } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { databaseAtMigration } from '../../../../tests/support/migrate-to';
import { makeTempDir } from '../../../../tests/support/temp-app';
import { migrations } from '.';

describe('migration 0003-admin-console: 0002 → 0003 on real data', () => {
  const temp = makeTempDir();
  afterAll(() => temp.cleanup());

  it('keeps settings, 2FA configurations and sessions, with the new columns empty or defaulted', async () => {
    const { db, close } = await databaseAtMigration(
      path.join(temp.dir, 'm3.sqlite'),
      '0002-two-factor',
    );
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the 0002 shape, not today's
    const old = db as any;
    await old
      .insertInto('organization')
      .values({ id: 1, name: 'Acme', two_factor_enabled: 1, two_factor_required: 1, created_at: 1 })
      .execute();
    await old
      .insertInto('users')
      .values({
        id: 'u1',
        email: 'a@acme.test',
        name: 'A',
        role: 'member',
        password_hash: 'x',
        status: 'active',
        created_at: 1,
      })
      .execute();
    await old
      .insertInto('two_factor')
      .values({
        user_id: 'u1',
        secret_ciphertext: 'v1:x',
        status: 'active',
        created_at: 2,
        activated_at: 3,
        last_used_step: 42,
      })
      .execute();
    await old
      .insertInto('sessions')
      .values({
        token_hash: 't',
        user_id: 'u1',
        second_factor_pending: 0,
        created_at: 4,
        last_seen_at: 5,
        ip: '127.0.0.1',
        user_agent: 'ua',
      })
      .execute();

    const { error } = await new Migrator({
      db,
      provider: { getMigrations: async () => migrations },
    }).migrateTo('0003-admin-console');
    expect(error).toBeUndefined();
    expect(
      await db
        .selectFrom('organization')
        .select(['two_factor_enabled', 'two_factor_required', 'two_factor_required_for'])
        .execute(),
    ).toEqual([
      { two_factor_enabled: 1, two_factor_required: 1, two_factor_required_for: 'everyone' },
    ]);
    expect(
      await db
        .selectFrom('two_factor')
        .select(['status', 'last_used_step', 'last_verified_at', 'last_method'])
        .execute(),
    ).toEqual([
      { status: 'active', last_used_step: 42, last_verified_at: null, last_method: null },
    ]);
    expect(
      await db.selectFrom('sessions').select(['token_hash', 'reauthenticated_at']).execute(),
    ).toEqual([{ token_hash: 't', reauthenticated_at: null }]);
    await close();
  });
});
