import path from 'node:path';
import { Migrator, sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { databaseAtMigration, indexNamesOf } from '../../../../tests/support/migrate-to';
import { makeTempDir } from '../../../../tests/support/temp-app';
import { engineOf } from '../engine';
import { migrations } from '.';

describe('migration 0012-location-detections: 0011 → 0012 on real data', () => {
  const temp = makeTempDir();
  afterAll(() => temp.cleanup());

  it('indexes existing verifications by user, network and outcome, leaving the events as they were', async () => {
    const { db, close } = await databaseAtMigration(
      path.join(temp.dir, 'm12.sqlite'),
      '0011-ip-locations',
    );
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the 0011 shape, not today's
    const old = db as any;
    const success = 'com.alaigned.auth.2fa.verify.success';
    const failed = 'com.alaigned.auth.2fa.verify.failed';
    const event = (type: string, ts: number, network: string, hash: string, prev: string) => ({
      type,
      ts,
      user_id: 'u1',
      details: '{}',
      prev_hash: prev,
      hash,
      network,
    });
    await old
      .insertInto('audit_events')
      .values([
        event(success, 1, '192.0.2.0/24', 'h1', '0'),
        event(failed, 2, '192.0.2.0/24', 'h2', 'h1'),
        event('com.alaigned.auth.signin.success', 3, '192.0.2.0/24', 'h3', 'h2'),
        event(success, 4, '198.51.100.0/24', 'h4', 'h3'),
      ])
      .execute();
    const { error } = await new Migrator({
      db,
      provider: { getMigrations: async () => migrations },
    }).migrateTo('0012-location-detections');
    expect(error).toBeUndefined();
    expect(await old.selectFrom('audit_events').select('hash').orderBy('id').execute()).toEqual(
      ['h1', 'h2', 'h3', 'h4'].map((hash) => ({ hash })),
    );
    expect(await indexNamesOf(db, 'audit_events')).toContain('audit_verify_user_network_type_ts');
    const engine = engineOf(db);
    const query = sql<{ network: string; successes: number }>`
      SELECT network, COUNT(*) AS successes
      FROM audit_events ${engine.indexedBy('audit_verify_user_network_type_ts')}
      WHERE type IN (${sql.lit(success)}, ${sql.lit(failed)}) AND type = ${sql.lit(success)}
        AND user_id = 'u1'
      GROUP BY network ORDER BY network`;
    const plan = await engine.explain(db, query.compile(db));
    expect(plan.join(' ')).toContain('audit_verify_user_network_type_ts');
    const counted = await query.execute(db);
    expect(counted.rows.map((r) => [r.network, Number(r.successes)])).toEqual([
      ['192.0.2.0/24', 1],
      ['198.51.100.0/24', 1],
    ]);
    await close();
  });
});
