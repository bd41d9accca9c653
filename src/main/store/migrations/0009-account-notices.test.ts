import path from 'node:path';
import { Migrator } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { databaseAtMigration, refused } from '../../../../tests/support/migrate-to';
import { makeTempDir } from '../../../../tests/support/temp-app';
import { migrations } from '.';

describe('migration 0009-account-notices: 0008 → 0009 on real data', () => {
  const temp = makeTempDir();
  afterAll(() => temp.cleanup());

  it('adds notices tied to existing users, removed with the user', async () => {
    const { db, close } = await databaseAtMigration(
      path.join(temp.dir, 'm9.sqlite'),
      '0008-rollout',
    );
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the 0008 shape, not today's
    const old = db as any;
    const user = {
      id: 'u1',
      email: 'mia@acme.test',
      name: 'Mia',
      role: 'member',
      password_hash: 'x',
      created_at: 1,
    };
    await old.insertInto('users').values(user).execute();
    const { error } = await new Migrator({
      db,
      provider: { getMigrations: async () => migrations },
    }).migrateTo('0009-account-notices');
    expect(error).toBeUndefined();
    expect(await old.selectFrom('users').select('email').execute()).toEqual([
      { email: 'mia@acme.test' },
    ]);
    const notice = {
      kind: 'two_factor_reset',
      actor_name: 'Ada',
      actor_email: 'ada@acme.test',
      created_at: 5,
    };
    await old
      .insertInto('account_notices')
      .values({ user_id: 'u1', ...notice })
      .execute();
    await expect(
      old
        .insertInto('account_notices')
        .values({ user_id: 'nobody', ...notice })
        .execute(),
    ).rejects.toThrow(refused.foreignKey);
    await old.deleteFrom('users').where('id', '=', 'u1').execute();
    expect(await old.selectFrom('account_notices').selectAll().execute()).toEqual([]);
    await close();
  });
});
