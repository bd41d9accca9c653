import fs from 'node:fs';
import { ScureBase32Plugin } from 'otplib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { normalizeBackupCode } from '../../src/main/two-factor/backup-codes';
import { verifyAuditChain } from '../../src/main/audit/audit-verify';
import { sql } from 'kysely';
import { caller, enroll, ok, orgWithAdmin, totpFor } from '../support/console-driver';
import { ADMIN, createTempApp, type TempApp } from '../support/temp-app';
import { engineOf } from '../../src/main/store/engine';
import { onPostgres } from '../support/engine';

/**
 * Everything the database holds, as someone with it would read it: SQLite's file, WAL and
 * shared memory byte for byte; on PostgreSQL every row of every table as text.
 */
async function storedBytes(temp: TempApp): Promise<Array<[string, Buffer]>> {
  if (onPostgres) {
    const tables = await sql<{ name: string }>`
      SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public'
    `.execute(temp.app.db);
    expect(tables.rows.map((t) => t.name)).toEqual(
      expect.arrayContaining(['users', 'two_factor', 'backup_codes', 'audit_events', 'sessions']),
    );
    const dump: Array<[string, Buffer]> = [];
    for (const { name } of tables.rows) {
      const rows = await sql<{ row: string }>`
        SELECT row_to_json(t)::text AS row FROM ${sql.table(name)} t
      `.execute(temp.app.db);
      dump.push([`table ${name}`, Buffer.from(rows.rows.map((r) => r.row).join('\n'))]);
    }
    return dump;
  }
  const files = [temp.dbPath, `${temp.dbPath}-wal`, `${temp.dbPath}-shm`].filter((f) =>
    fs.existsSync(f),
  );
  expect(files.length).toBeGreaterThanOrEqual(2);
  return files.map((file) => [file, fs.readFileSync(file)]);
}

describe('nothing secret at rest', () => {
  let temp: TempApp;
  beforeEach(async () => {
    temp = await createTempApp();
  });
  afterEach(() => temp.close());

  it('after enrollment and sign-ins, no secret, backup code or password is in the database files', async () => {
    const admin = await orgWithAdmin(temp);
    ok(await admin.call('org.updateSettings', { enabled: true, required: false }));
    const { secret, backupCodes } = await enroll(temp, admin);
    temp.clock.advance(30_000);
    const again = caller(temp.app);
    ok(await again.call('auth.signIn', { email: ADMIN.adminEmail, password: ADMIN.password }));
    ok(await again.call('auth.verify', { code: backupCodes[3]! }));
    const another = caller(temp.app);
    ok(await another.call('auth.signIn', { email: ADMIN.adminEmail, password: ADMIN.password }));
    ok(await another.call('auth.verify', { code: totpFor(secret, temp.clock.now()) }));

    const rawSecret = Buffer.from(new ScureBase32Plugin().decode(secret));
    const needles: Array<[string, Buffer]> = [
      ['base32 secret', Buffer.from(secret)],
      ['raw secret', rawSecret],
      ['hex secret', Buffer.from(rawSecret.toString('hex'))],
      ['base64 secret', Buffer.from(rawSecret.toString('base64'))],
      ['password', Buffer.from(ADMIN.password)],
      ...backupCodes.flatMap((code): Array<[string, Buffer]> => [
        [`backup code ${code}`, Buffer.from(code)],
        [`normalized backup code ${code}`, Buffer.from(normalizeBackupCode(code)!)],
      ]),
    ];
    for (const [where, bytes] of await storedBytes(temp)) {
      for (const [label, needle] of needles)
        expect([where, label, bytes.includes(needle)]).toEqual([where, label, false]);
    }
  });
});

describe('the hash chain catches tampering by someone with the database file', () => {
  let temp: TempApp;
  beforeEach(async () => {
    temp = await createTempApp();
    const admin = await orgWithAdmin(temp);
    for (let i = 0; i < 3; i++)
      await caller(temp.app).call('auth.signIn', { email: ADMIN.adminEmail, password: 'wrong' });
    ok(await admin.call('auth.signOut'));
  });
  afterEach(() => temp.close());

  async function tamper(...statements: Array<ReturnType<typeof sql>>) {
    // An attacker with the database can drop the triggers that make the table append-only.
    await engineOf(temp.app.db).dropAppendOnlyTrigger(temp.app.db, 'update');
    await engineOf(temp.app.db).dropAppendOnlyTrigger(temp.app.db, 'delete');
    for (const statement of statements) await statement.execute(temp.app.db);
  }

  it('is intact before anyone touches it', async () => {
    expect(await verifyAuditChain(temp.app.db)).toMatchObject({ ok: true, count: 7 });
  });

  it('names the first edited event', async () => {
    await tamper(sql`UPDATE audit_events SET ip = '10.0.0.1' WHERE id = 4`);
    expect(await verifyAuditChain(temp.app.db)).toMatchObject({
      ok: false,
      firstBadId: 4,
      problem: 'content',
    });
  });

  it('notices a deleted event at the one after it', async () => {
    await tamper(sql`DELETE FROM audit_events WHERE id = 3`);
    expect(await verifyAuditChain(temp.app.db)).toMatchObject({
      ok: false,
      firstBadId: 4,
      problem: 'link',
    });
  });

  it('notices reordered events', async () => {
    await tamper(
      sql`UPDATE audit_events SET id = 105 WHERE id = 5`,
      sql`UPDATE audit_events SET id = 5 WHERE id = 6`,
      sql`UPDATE audit_events SET id = 6 WHERE id = 105`,
    );
    expect(await verifyAuditChain(temp.app.db)).toMatchObject({
      ok: false,
      firstBadId: 5,
      problem: 'link',
    });
  });
});
