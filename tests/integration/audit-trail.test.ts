import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chainHash, GENESIS_HASH } from '../../src/main/audit/audit-chain';
import { chainedContentOf } from '../../src/main/audit/audit-verify';
import { writeTransaction } from '../../src/main/store/transaction';
import { createTempApp, TEST_CLIENT, type TempApp } from '../support/temp-app';

describe('audit trail on a real database', () => {
  let temp: TempApp;
  beforeEach(async () => {
    temp = await createTempApp();
  });
  afterEach(async () => {
    await temp.close();
  });

  it('links every event to its predecessor by hash', async () => {
    const { app, clock } = temp;
    for (let i = 0; i < 5; i++) {
      clock.advance(1000);
      await writeTransaction(app.db, (trx) =>
        app.services.audit.append(trx, {
          type: 'com.alaigned.auth.signin.failed',
          userId: null,
          email: `user${i}@acme.test`,
          client: TEST_CLIENT,
          details: { attempt: i, reason: 'unknown_email' },
        }),
      );
    }
    const rows = await app.db.selectFrom('audit_events').selectAll().orderBy('id').execute();
    expect(rows).toHaveLength(5);
    let prev = GENESIS_HASH;
    for (const row of rows) {
      expect(row.prev_hash).toBe(prev);
      const content = chainedContentOf(row);
      expect(row.hash).toBe(chainHash(prev, content));
      prev = row.hash;
    }
    expect(rows.map((r) => r.ts)).toEqual(
      [1, 2, 3, 4, 5].map((s) => temp.clock.now() - (5 - s) * 1000),
    );
    expect(JSON.parse(rows[0]!.details)).toEqual({ attempt: 0, reason: 'unknown_email' });
  });

  it('records nothing when the change it belongs to rolls back', async () => {
    const { app } = temp;
    await expect(
      writeTransaction(app.db, async (trx) => {
        await app.services.audit.append(trx, {
          type: 'com.alaigned.auth.signout',
          userId: 'u1',
          email: 'ada@acme.test',
          client: TEST_CLIENT,
        });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await app.db.selectFrom('audit_events').selectAll().execute()).toEqual([]);
  });
});
