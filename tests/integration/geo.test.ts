import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/main/app';
import { canonicalJson } from '../../src/main/audit/audit-chain';
import { createAuditService, type HistoricalEvent } from '../../src/main/audit/audit.service';
import { importEventFile } from '../../src/main/audit/import-events';
import { manualClock } from '../../src/main/clock';
import { bundledFiles } from '../../src/main/geo/geo-sources';
import { silentLogger } from '../../src/main/logger';
import type { Db } from '../../src/main/store/schema';
import { writeTransaction } from '../../src/main/store/transaction';
import type { GeoAbout } from '../../src/shared/contract';
import { auditRows, caller, fails, ok, orgWithAdmin } from '../support/console-driver';
import { engineName } from '../support/engine';
import { ADMIN, createTempApp, makeTempDir, TEST_START, type TempApp } from '../support/temp-app';

async function locations(db: Db) {
  const rows = await db.selectFrom('ip_locations').selectAll().orderBy('ip').execute();
  return rows.map((row) => ({ ...row, asn: row.asn === null ? null : Number(row.asn) }));
}

const event = (ip: string | null, i = 0): HistoricalEvent => ({
  type: 'com.alaigned.auth.2fa.verify.success',
  ts: TEST_START - 3_600_000 + i * 1000,
  userId: `u${i % 3}`,
  email: `u${i % 3}@acme.test`,
  ip,
  userAgent: 'test-agent',
  method: 'totp',
  details: canonicalJson({ i }),
  source: 'test',
});

/** A folder holding the bundled DB-IP city file (a link to it), as if it were the admin's own. */
function ownFolder(dir: string): string {
  const folder = path.join(dir, 'geoip');
  fs.mkdirSync(folder, { recursive: true });
  fs.symlinkSync(bundledFiles().cityV4, path.join(folder, 'DBIP-City-Lite.mmdb'));
  return folder;
}

describe(`ip_locations is filled as events are appended (${engineName})`, () => {
  let temp: TempApp;
  beforeEach(async () => {
    temp = await createTempApp();
  });
  afterEach(() => temp.close());

  it("locates the address of the console's own events (a sign-in) in the append's transaction", async () => {
    const admin = caller(temp.app, '8.8.8.8');
    ok(await admin.call('org.create', ADMIN));
    ok(await admin.call('auth.signIn', { email: ADMIN.adminEmail, password: ADMIN.password }));
    expect(await locations(temp.app.db)).toEqual([
      expect.objectContaining({ ip: '8.8.8.8', internal: 0, country: 'US', asn: 15169 }),
    ]);
  });

  it('writes one row per distinct address of a batch, internal ones too, never per event', async () => {
    const events = Array.from({ length: 300 }, (_, i) =>
      event(['1.1.1.1', '10.0.0.7', '2001:db8::5'][i % 3]!, i),
    );
    events.push(event(null, 300));
    await writeTransaction(temp.app.db, (trx) =>
      temp.app.services.audit.appendHistorical(trx, events),
    );
    const rows = await locations(temp.app.db);
    expect(rows.map((r) => [r.ip, r.internal, r.asn])).toEqual([
      ['1.1.1.1', 0, 13335],
      ['10.0.0.7', 1, null],
      ['2001:db8::5', 1, null],
    ]);
    expect(rows.find((r) => r.ip === '10.0.0.7')).toMatchObject({ country: null, latitude: null });
  });

  it('keeps a row already there (ON CONFLICT DO NOTHING): crafted or another console’s', async () => {
    await temp.app.db
      .insertInto('ip_locations')
      .values({
        ip: '1.1.1.1',
        internal: 0,
        country: 'BR',
        asn: 64500,
        as_org: 'Crafted',
        latitude: null,
        longitude: null,
      })
      .execute();
    await writeTransaction(temp.app.db, (trx) =>
      temp.app.services.audit.appendHistorical(trx, [event('1.1.1.1'), event('8.8.8.8', 1)]),
    );
    const rows = await locations(temp.app.db);
    expect(rows.map((r) => [r.ip, r.country, r.asn])).toEqual([
      ['1.1.1.1', 'BR', 64500],
      ['8.8.8.8', 'US', 15169],
    ]);
  });

  it('a rolled-back append leaves no row, and the address is located when it commits later', async () => {
    await expect(
      writeTransaction(temp.app.db, async (trx) => {
        await temp.app.services.audit.appendHistorical(trx, [event('9.9.9.9')]);
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect(await locations(temp.app.db)).toEqual([]);
    // The process must not believe the address stored: the next append writes it.
    await writeTransaction(temp.app.db, (trx) =>
      temp.app.services.audit.appendHistorical(trx, [event('9.9.9.9', 1)]),
    );
    expect((await locations(temp.app.db)).map((r) => r.ip)).toEqual(['9.9.9.9']);
  });

  it('an import locates its addresses; a refused file locates none', async () => {
    const file = path.join(temp.dir, 'events.jsonl');
    const line = (ip: string, i: number) =>
      JSON.stringify({
        type: 'com.alaigned.auth.2fa.verify.failed',
        timestamp: new Date(TEST_START - 600_000 + i * 1000).toISOString(),
        userId: 'u1',
        email: 'u1@acme.test',
        ip,
        userAgent: 'ua',
        method: 'totp',
        details: { reason: 'wrong_code' },
      });
    const deps = { db: temp.app.db, clock: temp.clock, audit: temp.app.services.audit };
    const options = { file, client: { ip: '127.0.0.1', userAgent: 'test' }, actor: null };
    fs.writeFileSync(file, `${line('8.8.4.4', 0)}\nnot json\n`);
    await expect(importEventFile(deps, options)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(await locations(temp.app.db)).toEqual([]);

    const lines = Array.from({ length: 5000 }, (_, i) => line(i % 2 ? '8.8.4.4' : '1.0.0.1', i));
    fs.writeFileSync(file, `${lines.join('\n')}\n`);
    expect((await importEventFile(deps, options)).imported).toBe(5000);
    expect((await locations(temp.app.db)).map((r) => [r.ip, r.asn])).toEqual([
      ['1.0.0.1', 13335],
      ['127.0.0.1', null],
      ['8.8.4.4', 15169],
    ]);
  });

  it('locates, at open, a trail written before ip_locations existed', async () => {
    // An appender that does not locate, as every console before this table.
    const bare = createAuditService({ clock: temp.clock });
    await writeTransaction(temp.app.db, (trx) =>
      bare.appendHistorical(trx, [event('8.8.8.8'), event('1.1.1.1', 1), event('8.8.8.8', 2)]),
    );
    expect(await locations(temp.app.db)).toEqual([]);
    const reopened = await createApp({
      dbPath: temp.dbPath,
      clock: manualClock(TEST_START),
      logger: silentLogger,
      env: { ...process.env, ...temp.env },
    });
    try {
      expect((await locations(reopened.db)).map((r) => [r.ip, r.asn])).toEqual([
        ['1.1.1.1', 13335],
        ['8.8.8.8', 15169],
      ]);
    } finally {
      await reopened.close();
    }
  });
});

describe(`the admin's own geo databases (${engineName})`, () => {
  let temp: TempApp;
  beforeEach(async () => {
    temp = await createTempApp();
  });
  afterEach(() => temp.close());

  it('geo.about credits the bundled databases by default', async () => {
    const admin = await orgWithAdmin(temp);
    const about = ok<GeoAbout>(await admin.call('geo.about'));
    expect(about).toMatchObject({
      origin: 'bundled',
      directory: null,
      hasCoordinates: true,
      problem: null,
    });
    expect(about.sources.map((s) => s.name)).toEqual([
      'DB-IP IP to City Lite',
      expect.stringContaining('RouteViews'),
    ]);
    fails(await caller(temp.app).call('geo.about'), 'UNAUTHENTICATED');
  });

  it('geo.setDirectory uses the folder, relocates every address of the trail, and is audited', async () => {
    const admin = await orgWithAdmin(temp);
    await writeTransaction(temp.app.db, (trx) =>
      temp.app.services.audit.appendHistorical(trx, [event('8.8.8.8'), event('1.1.1.1', 1)]),
    );
    // A stale answer from earlier data: the refill must replace it.
    await temp.app.db
      .updateTable('ip_locations')
      .set({ country: 'BR' })
      .where('ip', '=', '8.8.8.8')
      .execute();
    const folder = ownFolder(temp.dir);
    const about = ok<GeoAbout>(await admin.call('geo.setDirectory', { directory: folder }));
    expect(about).toMatchObject({ origin: 'settings', directory: folder, problem: null });
    expect(about.sources.map((s) => [s.provides, s.bundled])).toEqual([
      ['location', false],
      ['asn', true],
    ]);
    const rows = await locations(temp.app.db);
    expect(rows.find((r) => r.ip === '8.8.8.8')).toMatchObject({ country: 'US', asn: 15169 });
    expect(about.located).toBe(rows.length);
    const [changed] = await auditRows(temp.app, 'com.alaigned.audit.geo_directory_changed');
    expect(changed).toMatchObject({ email: ADMIN.adminEmail, details: { from: null, to: folder } });

    // Back to the bundled data.
    expect(ok<GeoAbout>(await admin.call('geo.setDirectory', { directory: null }))).toMatchObject({
      origin: 'bundled',
      directory: null,
    });
    expect(await auditRows(temp.app, 'com.alaigned.audit.geo_directory_changed')).toHaveLength(2);
  });

  it('refuses a folder with no usable .mmdb file, naming the field, and changes nothing', async () => {
    const admin = await orgWithAdmin(temp);
    const empty = path.join(temp.dir, 'empty');
    fs.mkdirSync(empty);
    fs.writeFileSync(path.join(empty, 'notes.txt'), 'nothing');
    const refused = fails(
      await admin.call('geo.setDirectory', { directory: empty }),
      'INVALID_INPUT',
    );
    expect(refused.message).toMatch(/no usable MaxMind database/);
    expect(refused.details).toEqual({ kind: 'fields', fields: { directory: expect.any(String) } });
    const relative = fails(
      await admin.call('geo.setDirectory', { directory: 'geoip' }),
      'INVALID_INPUT',
    );
    expect(relative.details).toMatchObject({
      kind: 'fields',
      fields: { directory: expect.any(String) },
    });
    expect(await auditRows(temp.app, 'com.alaigned.audit.geo_directory_changed')).toEqual([]);
    expect(ok<GeoAbout>(await admin.call('geo.about')).origin).toBe('bundled');
  });

  it('ORG2FA_GEOIP_DIR wins over the saved folder, which cannot be changed from the console then', async () => {
    const folder = ownFolder(temp.dir);
    const withEnv = await createApp({
      dbPath: temp.dbPath,
      clock: temp.clock,
      logger: silentLogger,
      env: { ...process.env, ...temp.env, ORG2FA_GEOIP_DIR: folder },
    });
    try {
      const admin = await orgWithAdmin({ ...temp, app: withEnv });
      expect(ok<GeoAbout>(await admin.call('geo.about'))).toMatchObject({
        origin: 'environment',
        directory: folder,
      });
      fails(await admin.call('geo.setDirectory', { directory: null }), 'CONFLICT');
      expect(withEnv.services.geo.lookup(['8.8.8.8'])[0]).toMatchObject({ country: 'US' });
    } finally {
      await withEnv.close();
    }
  });

  it('a saved folder gone since falls back to the bundled data, and says why', async () => {
    const folder = ownFolder(temp.dir);
    const admin = await orgWithAdmin(temp);
    ok(await admin.call('geo.setDirectory', { directory: folder }));
    fs.rmSync(folder, { recursive: true });
    const reopened = await createApp({
      dbPath: temp.dbPath,
      clock: temp.clock,
      logger: silentLogger,
      env: { ...process.env, ...temp.env },
    });
    try {
      const about = await reopened.services.geo.about();
      expect(about).toMatchObject({ origin: 'settings', directory: folder });
      expect(about.problem).toMatch(/not a readable folder/);
      expect(about.sources.every((s) => s.bundled)).toBe(true);
    } finally {
      await reopened.close();
    }
  });
});

describe('geo lookups for the CLI', () => {
  it('answers each address, null for text that is not one', async () => {
    const temp = makeTempDir();
    const app = await createApp({ dbPath: path.join(temp.dir, 'g.sqlite'), logger: silentLogger });
    try {
      const [google, internal, bad] = app.services.geo.lookup(['8.8.8.8', '192.168.0.1', 'nope']);
      expect(google).toMatchObject({ ip: '8.8.8.8', asn: 15169, country: 'US' });
      expect(internal).toMatchObject({ ip: '192.168.0.1', internal: true, country: null });
      expect(bad).toBeNull();
    } finally {
      await app.close();
      temp.cleanup();
    }
  });
});
