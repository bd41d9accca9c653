import path from 'node:path';
import { Migrator } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { databaseAtMigration, indexNamesOf } from '../../../../tests/support/migrate-to';
import { makeTempDir } from '../../../../tests/support/temp-app';
import { migrations } from '.';

describe('migration 0004-audit-analysis: 0003 → 0004 on real data', () => {
  const temp = makeTempDir();
  afterAll(() => temp.cleanup());

  it('derives the address key and network of existing events, keeps the trail append-only, adds indexes', async () => {
    const { db, close } = await databaseAtMigration(
      path.join(temp.dir, 'm4.sqlite'),
      '0003-admin-console',
    );
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the 0003 shape, not today's
    const old = db as any;
    const rows = [
      { type: 'a', ts: 1, ip: '203.0.113.7', details: '{}', prev_hash: '0', hash: 'h1' },
      { type: 'b', ts: 2, ip: '2001:db8:abcd:12::1', details: '{}', prev_hash: 'h1', hash: 'h2' },
      { type: 'c', ts: 3, ip: null, details: '{}', prev_hash: 'h2', hash: 'h3' },
      { type: 'd', ts: 4, ip: '::ffff:198.51.100.9', details: '{}', prev_hash: 'h3', hash: 'h4' },
    ];
    await old.insertInto('audit_events').values(rows).execute();

    const { error } = await new Migrator({
      db,
      provider: { getMigrations: async () => migrations },
    }).migrateTo('0004-audit-analysis');
    expect(error).toBeUndefined();
    expect(
      await old
        .selectFrom('audit_events')
        .select(['hash', 'ip', 'ip_key', 'network'])
        .orderBy('id')
        .execute(),
    ).toEqual([
      {
        hash: 'h1',
        ip: '203.0.113.7',
        ip_key: '00000000000000000000ffffcb007107',
        network: '203.0.113.0/24',
      },
      {
        hash: 'h2',
        ip: '2001:db8:abcd:12::1',
        ip_key: '20010db8abcd00120000000000000001',
        network: '2001:db8:abcd::/48',
      },
      { hash: 'h3', ip: null, ip_key: null, network: null },
      {
        hash: 'h4',
        ip: '::ffff:198.51.100.9',
        ip_key: '00000000000000000000ffffc6336409',
        network: '198.51.100.0/24',
      },
    ]);
    await expect(old.updateTable('audit_events').set({ type: 'x' }).execute()).rejects.toThrow(
      /append-only/,
    );
    const indexes = await indexNamesOf(db, 'audit_events');
    expect(indexes.filter((name) => name.startsWith('audit_'))).toEqual([
      'audit_email_ts',
      'audit_ipkey_ts',
      'audit_ts',
      'audit_type_ts',
      'audit_user_ts',
      'audit_verify_user_network_ts',
    ]);
    await close();
  });
});
