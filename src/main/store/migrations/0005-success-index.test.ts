import path from 'node:path';
import { Migrator, sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { databaseAtMigration } from '../../../../tests/support/migrate-to';
import { makeTempDir } from '../../../../tests/support/temp-app';
import { engineOf } from '../engine';
import { migrations } from '.';

describe('migration 0005-success-index: 0004 → 0005 on real data', () => {
  const temp = makeTempDir();
  afterAll(() => temp.cleanup());

  it('indexes existing successful verifications only, leaving the events as they were', async () => {
    const { db, close } = await databaseAtMigration(
      path.join(temp.dir, 'm5.sqlite'),
      '0004-audit-analysis',
    );
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the 0004 shape, not today's
    const old = db as any;
    const success = 'com.alaigned.auth.2fa.verify.success';
    await old
      .insertInto('audit_events')
      .values([
        { type: success, ts: 1, user_id: 'u1', details: '{}', prev_hash: '0', hash: 'h1' },
        {
          type: 'com.alaigned.auth.2fa.verify.failed',
          ts: 2,
          user_id: 'u1',
          details: '{}',
          prev_hash: 'h1',
          hash: 'h2',
        },
      ])
      .execute();
    const { error } = await new Migrator({
      db,
      provider: { getMigrations: async () => migrations },
    }).migrateTo('0005-success-index');
    expect(error).toBeUndefined();
    expect(await old.selectFrom('audit_events').select('hash').orderBy('id').execute()).toEqual([
      { hash: 'h1' },
      { hash: 'h2' },
    ]);
    const engine = engineOf(db);
    const plan = await engine.explain(
      db,
      sql`SELECT ts FROM audit_events WHERE user_id = 'u1' AND type = ${sql.lit(success)} AND ts > 0`.compile(
        db,
      ),
    );
    expect(plan.join(' ')).toContain('audit_success_user_ts');
    const counted = await sql<{
      n: number;
    }>`SELECT COUNT(*) AS n FROM audit_events ${engine.indexedBy('audit_success_user_ts')} WHERE user_id = 'u1' AND type = ${sql.lit(success)}`.execute(
      db,
    );
    expect(counted.rows[0]!.n).toBe(1);
    await close();
  });
});
