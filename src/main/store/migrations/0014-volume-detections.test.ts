import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { databaseAtMigration, migrateTo } from '../../../../tests/support/migrate-to';
import { makeTempDir } from '../../../../tests/support/temp-app';
import { engineOf } from '../engine';

describe('migration 0014-volume-detections: 0013 → 0014 on real data', () => {
  const temp = makeTempDir();
  afterAll(() => temp.cleanup());

  it('indexes existing backup-code sign-ins, and failures, leaving the events as they were', async () => {
    const { db, close } = await databaseAtMigration(
      path.join(temp.dir, 'm13.sqlite'),
      '0013-verify-ip-index',
    );
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the 0013 shape, not today's
    const old = db as any;
    const success = 'com.alaigned.auth.2fa.verify.success';
    const event = (type: string, method: string | null, hash: string, prev: string) => ({
      type,
      ts: Number(hash.slice(1)),
      user_id: 'u1',
      method,
      details: '{}',
      prev_hash: prev,
      hash,
    });
    await old
      .insertInto('audit_events')
      .values([
        event(success, 'backup_code', 'h1', '0'),
        event(success, 'totp', 'h2', 'h1'),
        event('com.alaigned.auth.2fa.verify.failed', 'backup_code', 'h3', 'h2'),
        event(success, 'backup_code', 'h4', 'h3'),
      ])
      .execute();
    const { error } = await migrateTo(db, '0014-volume-detections');
    expect(error).toBeUndefined();
    expect(await old.selectFrom('audit_events').select('hash').orderBy('id').execute()).toEqual(
      ['h1', 'h2', 'h3', 'h4'].map((hash) => ({ hash })),
    );
    const spent = sql`user_id = 'u1' AND type = ${sql.lit(success)} AND method = 'backup_code'`;
    const engine = engineOf(db);
    const plan = await engine.explain(
      db,
      sql`SELECT ts FROM audit_events WHERE ${spent} AND ts > 0`.compile(db),
    );
    expect(plan.join(' ')).toContain('audit_backup_code_user_ts');
    const counted = await sql<{
      n: number;
    }>`SELECT COUNT(*) AS n FROM audit_events ${engine.indexedBy('audit_backup_code_user_ts')} WHERE ${spent}`.execute(
      db,
    );
    expect(Number(counted.rows[0]!.n)).toBe(2);
    // The failures' index holds failed verifications only: the one failure.
    const failed = sql`type = ${sql.lit('com.alaigned.auth.2fa.verify.failed')} AND ts >= 0`;
    const failures = await sql<{
      n: number;
    }>`SELECT COUNT(*) AS n FROM audit_events ${engine.indexedBy('audit_failed_ts_user_ip')} WHERE ${failed}`.execute(
      db,
    );
    expect(Number(failures.rows[0]!.n)).toBe(1);
    await close();
  });
});
