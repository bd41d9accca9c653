import path from 'node:path';
import { Migrator } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { databaseAtMigration, refused } from '../../../../tests/support/migrate-to';
import { makeTempDir } from '../../../../tests/support/temp-app';
import { migrations } from '.';

describe('migration 0008-rollout: 0007 → 0008 on real data', () => {
  const temp = makeTempDir();
  afterAll(() => temp.cleanup());

  it('adds the rollout and templates tables, keeps the org, allows one announcement only', async () => {
    const { db, close } = await databaseAtMigration(
      path.join(temp.dir, 'm8.sqlite'),
      '0007-network-index',
    );
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the 0007 shape, not today's
    const old = db as any;
    await old
      .insertInto('organization')
      .values({
        id: 1,
        name: 'Acme',
        two_factor_enabled: 1,
        two_factor_required: 0,
        two_factor_required_for: 'everyone',
        created_at: 1,
      })
      .execute();
    const { error } = await new Migrator({
      db,
      provider: { getMigrations: async () => migrations },
    }).migrateTo('0008-rollout');
    expect(error).toBeUndefined();
    expect(await old.selectFrom('organization').select('name').execute()).toEqual([
      { name: 'Acme' },
    ]);
    const announcement = { announced_at: 5, announced_by: 'u1', enforcement_date: '2026-12-14' };
    await old
      .insertInto('rollout')
      .values({ id: 1, ...announcement })
      .execute();
    await expect(
      old
        .insertInto('rollout')
        .values({ id: 2, ...announcement })
        .execute(),
    ).rejects.toThrow(refused.check);
    await old
      .insertInto('message_templates')
      .values({
        id: 'reminder',
        name: 'Reminder',
        kind: 'reminder',
        subject: 's',
        body: 'b',
        updated_at: 1,
        updated_by: 'u1',
      })
      .execute();
    expect(await old.selectFrom('message_templates').select('id').execute()).toEqual([
      { id: 'reminder' },
    ]);
    await close();
  });
});
