import path from 'node:path';
import { Migrator, sql } from 'kysely';
import { engineOf } from '../engine';
import { afterAll, describe, expect, it } from 'vitest';
import { databaseAtMigration } from '../../../../tests/support/migrate-to';
import { makeTempDir } from '../../../../tests/support/temp-app';
import { migrations } from '.';

describe('migration 0007-network-index: 0006 → 0007 on real data', () => {
  const temp = makeTempDir();
  afterAll(() => temp.cleanup());

  it('indexes existing verifications by network, leaving the events as they were', async () => {
    const { db, close } = await databaseAtMigration(
      path.join(temp.dir, 'm7.sqlite'),
      '0006-content-hash',
    );
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the 0006 shape, not today's
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
        event('com.alaigned.auth.login', 3, '192.0.2.0/24', 'h3', 'h2'),
        event(failed, 4, '198.51.100.0/24', 'h4', 'h3'),
      ])
      .execute();
    const { error } = await new Migrator({
      db,
      provider: { getMigrations: async () => migrations },
    }).migrateTo('0007-network-index');
    expect(error).toBeUndefined();
    expect(await old.selectFrom('audit_events').select('hash').orderBy('id').execute()).toEqual(
      ['h1', 'h2', 'h3', 'h4'].map((hash) => ({ hash })),
    );
    const verifications = sql`type IN (${sql.lit(success)}, ${sql.lit(failed)})`;
    const engine = engineOf(db);
    const plan = await engine.explain(
      db,
      sql`SELECT COUNT(*) FROM audit_events WHERE ${verifications} AND network = '192.0.2.0/24' AND ts > 0`.compile(
        db,
      ),
    );
    expect(plan.join(' ')).toContain('audit_verify_network_ts');
    const counted = await sql<{
      n: number;
    }>`SELECT COUNT(*) AS n FROM audit_events ${engine.indexedBy('audit_verify_network_ts')} WHERE ${verifications} AND network = '192.0.2.0/24'`.execute(
      db,
    );
    expect(counted.rows[0]!.n).toBe(2);
    await close();
  });
});
