import path from 'node:path';
import { Migrator } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { databaseAtMigration } from '../../../../tests/support/migrate-to';
import { makeTempDir } from '../../../../tests/support/temp-app';
import { onPostgres } from '../../../../tests/support/engine';
import { countriesQuery, verificationsByCountry } from '../audit-charts.store';
import { engineOf } from '../engine';
import { migrations } from '.';

describe('migration 0013-verify-ip-index: 0012 → 0013 on real data', () => {
  const temp = makeTempDir();
  afterAll(() => temp.cleanup());

  it('indexes existing verifications by address; the map counts them from it', async () => {
    const { db, close } = await databaseAtMigration(
      path.join(temp.dir, 'm13.sqlite'),
      '0012-location-detections',
    );
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the 0012 shape, not today's
    const old = db as any;
    const success = 'com.alaigned.auth.2fa.verify.success';
    const failed = 'com.alaigned.auth.2fa.verify.failed';
    const event = (type: string, ts: number, ip: string, n: number) => ({
      type,
      ts,
      user_id: 'u1',
      ip,
      details: '{}',
      prev_hash: `h${n - 1}`,
      hash: `h${n}`,
    });
    await old
      .insertInto('audit_events')
      .values([
        event(success, 1, '192.0.2.1', 1),
        event(failed, 2, '192.0.2.1', 2),
        event('com.alaigned.auth.signin.success', 3, '192.0.2.1', 3),
        event(failed, 4, '85.214.1.1', 4),
      ])
      .execute();
    await old
      .insertInto('ip_locations')
      .values([
        { ip: '192.0.2.1', internal: 1 },
        { ip: '85.214.1.1', internal: 0, country: 'DE' },
      ])
      .execute();
    const { error } = await new Migrator({
      db,
      provider: { getMigrations: async () => migrations },
    }).migrateTo('0013-verify-ip-index');
    expect(error).toBeUndefined();
    expect(await old.selectFrom('audit_events').select('hash').orderBy('id').execute()).toEqual(
      ['h1', 'h2', 'h3', 'h4'].map((hash) => ({ hash })),
    );
    const range = { sinceMs: 0, untilMs: 10 };
    const sorted = (await verificationsByCountry(db, range)).sort((a, b) =>
      String(a.country).localeCompare(String(b.country)),
    );
    expect(sorted).toEqual([
      { country: 'DE', internal: false, success: 0, failed: 1 },
      { country: null, internal: true, success: 1, failed: 1 },
    ]);
    if (!onPostgres) {
      const plan = await engineOf(db).explain(db, countriesQuery(db, range).compile(db));
      expect(plan.join(' ')).toContain('COVERING INDEX audit_verify_ip_ts');
    }
    await close();
  });
});
