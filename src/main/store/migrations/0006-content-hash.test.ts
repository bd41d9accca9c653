import path from 'node:path';
import { Migrator } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { databaseAtMigration } from '../../../../tests/support/migrate-to';
import { makeTempDir } from '../../../../tests/support/temp-app';
import { contentHashOf } from '../../audit/audit-chain';
import { migrations } from '.';

describe('migration 0006-content-hash: 0005 → 0006 on real data', () => {
  const temp = makeTempDir();
  afterAll(() => temp.cleanup());

  it('gives existing events the same content hash new ones get, and keeps the trail append-only', async () => {
    const { db, close } = await databaseAtMigration(
      path.join(temp.dir, 'm6.sqlite'),
      '0005-success-index',
    );
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the 0005 shape, not today's
    const old = db as any;
    const event = {
      type: 'com.alaigned.auth.2fa.verify.failed',
      ts: 1_770_000_000_000,
      userId: 'u1',
      email: 'a@acme.test',
      ip: '203.0.113.7',
      userAgent: 'ua',
      method: 'totp',
      details: '{"reason":"wrong_code"}',
    };
    await old
      .insertInto('audit_events')
      .values({
        type: event.type,
        ts: event.ts,
        user_id: event.userId,
        email: event.email,
        ip: event.ip,
        user_agent: event.userAgent,
        method: event.method,
        details: event.details,
        source: 'x.jsonl',
        prev_hash: '0',
        hash: 'h1',
      })
      .execute();
    const { error } = await new Migrator({
      db,
      provider: { getMigrations: async () => migrations },
    }).migrateTo('0006-content-hash');
    expect(error).toBeUndefined();
    expect(await old.selectFrom('audit_events').select(['hash', 'content_hash']).execute()).toEqual(
      [{ hash: 'h1', content_hash: contentHashOf(event) }],
    );
    await expect(old.updateTable('audit_events').set({ type: 'x' }).execute()).rejects.toThrow(
      /append-only/,
    );
    await close();
  });
});
