import path from 'node:path';
import { Migrator } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { databaseAtMigration } from '../../../../tests/support/migrate-to';
import { makeTempDir } from '../../../../tests/support/temp-app';
import { migrations } from '.';

const HOUR = 3_600_000;

describe('migration 0010-hourly-counts: 0009 → 0010 on real data', () => {
  const temp = makeTempDir();
  afterAll(() => temp.cleanup());

  it('counts the existing trail per hour and type, an hour before 1970 included', async () => {
    const { db, close } = await databaseAtMigration(
      path.join(temp.dir, 'm10.sqlite'),
      '0009-account-notices',
    );
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the 0009 shape, not today's
    const old = db as any;
    const success = 'com.alaigned.auth.2fa.verify.success';
    const failed = 'com.alaigned.auth.2fa.verify.failed';
    let previous = '0';
    const events = (rows: Array<[string, number]>) =>
      rows.map(([type, ts], i) => {
        const hash = `${previous}-${i}-${ts}`;
        const row = { type, ts, details: '{}', prev_hash: previous, hash, content_hash: hash };
        previous = hash;
        return row;
      });
    await old
      .insertInto('audit_events')
      .values(
        events([
          [failed, -1], // 1969-12-31T23:59:59.999Z: the hour before the epoch, not hour 0
          [success, 0],
          [success, HOUR - 1],
          [failed, HOUR],
          [failed, HOUR + 5],
        ]),
      )
      .execute();
    const { error } = await new Migrator({
      db,
      provider: { getMigrations: async () => migrations },
    }).migrateTo('0010-hourly-counts');
    expect(error).toBeUndefined();
    const counts = () =>
      old.selectFrom('audit_hourly_counts').selectAll().orderBy('hour').orderBy('type').execute();
    expect(await counts()).toEqual([
      { hour: -1, type: failed, n: 1 },
      { hour: 0, type: success, n: 2 },
      { hour: 1, type: failed, n: 2 },
    ]);

    await close();
  });
});
