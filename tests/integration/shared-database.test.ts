import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/main/app';
import { silentLogger } from '../../src/main/logger';
import { FAILURES_BEFORE_LOCK } from '../../src/main/auth/throttle';
import type { Envelope } from '../../src/shared/envelope';
import { caller, ok, totpFor } from '../support/console-driver';
import { initOrgWithCli, runCliForTest } from '../support/cli-run';
import { createSharedDatabase, engineName } from '../support/engine';
import { serveConsole, type ConsoleClient, type ServedConsole } from '../support/served-console';
import { ADMIN, makeTempDir } from '../support/temp-app';

const MEMBER = { email: 'mia@acme.test', password: 'member password 1' };
const VICTIM = { email: 'vic@acme.test', password: 'victim password 1' };

/**
 * Two consoles (two `org2fa serve` processes) on one database, as an organization's security team
 * runs it: what one accepts, the other must not accept again.
 */
describe(`two consoles on one database (${engineName})`, () => {
  const temp = makeTempDir();
  let shared: Awaited<ReturnType<typeof createSharedDatabase>>;
  let consoles: ServedConsole[];
  let secret: string;
  let backupCodes: string[];

  beforeAll(async () => {
    shared = await createSharedDatabase(temp.dir);
    await initOrgWithCli(shared.location, shared.env);
    // Mia enrolls through the real router, on the real clock the consoles use.
    const app = await createApp({
      dbPath: shared.location,
      logger: silentLogger,
      env: { ...process.env, ...shared.env },
    });
    try {
      const admin = caller(app);
      ok(await admin.call('auth.signIn', { email: ADMIN.adminEmail, password: ADMIN.password }));
      ok(await admin.call('org.updateSettings', { enabled: true, required: false }));
      await app.services.users.add(
        { email: MEMBER.email, name: 'Mia', role: 'member', password: MEMBER.password },
        { ip: '127.0.0.1', userAgent: 'test' },
        null,
      );
      await app.services.users.add(
        { email: VICTIM.email, name: 'Vic', role: 'member', password: VICTIM.password },
        { ip: '127.0.0.1', userAgent: 'test' },
        null,
      );
      const mia = caller(app);
      ok(await mia.call('auth.signIn', MEMBER));
      ({ secret } = ok<{ secret: string }>(await mia.call('twoFactor.beginSetup')));
      ({ backupCodes } = ok<{ backupCodes: string[] }>(
        await mia.call('twoFactor.confirmSetup', { code: totpFor(secret, Date.now()) }),
      ));
    } finally {
      await app.close();
    }
    consoles = await Promise.all([
      serveConsole(shared.location, shared.env),
      serveConsole(shared.location, shared.env),
    ]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all((consoles ?? []).map((c) => c.stop()));
    await shared?.drop();
    temp.cleanup();
  });

  /** The details of one e-mail's events of one type, read through a third app on the database. */
  async function trailOf(email: string, type: string): Promise<Array<Record<string, unknown>>> {
    const app = await createApp({
      dbPath: shared.location,
      logger: silentLogger,
      env: { ...process.env, ...shared.env },
    });
    try {
      const rows = await app.db
        .selectFrom('audit_events')
        .select('details')
        .where('type', '=', type)
        .where('email', '=', email)
        .execute();
      return rows.map((r) => JSON.parse(r.details) as Record<string, unknown>);
    } finally {
      await app.close();
    }
  }

  /** Mia, past her password on each console, owing the second factor. */
  async function miaOnEachConsole(): Promise<ConsoleClient[]> {
    const clients = consoles.map((c) => c.client());
    for (const client of clients) ok(await client.call('auth.signIn', MEMBER));
    return clients;
  }
  const outcomes = (answers: Array<Envelope<unknown>>) =>
    answers.map((a) => (a.ok ? 'accepted' : a.error.code)).sort();

  it('a TOTP code sent to both consoles at the same instant is accepted by exactly one', async () => {
    const clients = await miaOnEachConsole();
    // The enrollment spent this step; the next one is inside the ±1 window and still unused.
    const code = totpFor(secret, Date.now(), 1);
    const answers = await Promise.all(clients.map((c) => c.call('auth.verify', { code })));
    expect(outcomes(answers)).toEqual(['INVALID_CODE', 'accepted']);
  });

  it('a backup code sent to both consoles at once is spent by exactly one, every time', async () => {
    for (const code of backupCodes.slice(0, 3)) {
      const clients = await miaOnEachConsole();
      const answers = await Promise.all(clients.map((c) => c.call('auth.verify', { code })));
      expect(outcomes(answers)).toEqual(['INVALID_CODE', 'accepted']);
    }
  });

  it('failures counted by both consoles at once are all counted: the lockout comes on time', async () => {
    // A success first, so the count starts from zero.
    ok(await (await miaOnEachConsole())[0]!.call('auth.verify', { code: backupCodes[4] }));
    const clients = await miaOnEachConsole();
    // Two wrong codes on each console at once: four failures, none lost.
    const wrong = await Promise.all(
      clients.flatMap((c) => [
        c.call('auth.verify', { code: '000000' }),
        c.call('auth.verify', { code: '999999' }),
      ]),
    );
    expect(outcomes(wrong)).toEqual(Array(4).fill('INVALID_CODE'));
    // The fifth locks. Had an update been lost, the right code would still get in here.
    expect(outcomes([await clients[0]!.call('auth.verify', { code: '123456' })])).not.toEqual([
      'accepted',
    ]);
    expect(outcomes([await clients[1]!.call('auth.verify', { code: backupCodes[6] })])).toEqual([
      'LOCKED_OUT',
    ]);
  });

  it('200 password guesses split over both consoles at once: at most the threshold are checked', async () => {
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        consoles[i % 2]!.client().call('auth.signIn', {
          email: VICTIM.email,
          password: i === 199 ? VICTIM.password : `wrong guess ${i}`,
        }),
      ),
    );
    const failures = await trailOf(VICTIM.email, 'com.alaigned.auth.signin.failed');
    const counted = failures.filter((d) => d.reason === 'wrong_password').length;
    // Each console admits an attempt only in the write transaction that counts it.
    expect(counted).toBeLessThanOrEqual(FAILURES_BEFORE_LOCK);
    const told = outcomes(answers);
    expect(told.filter((a) => a === 'UNAUTHENTICATED')).toHaveLength(Math.min(counted, 4));
    expect(told.filter((a) => a === 'LOCKED_OUT').length).toBeGreaterThanOrEqual(
      200 - FAILURES_BEFORE_LOCK,
    );
    expect(told.filter((a) => a === 'LOCKED_OUT')).toHaveLength(
      failures.filter((d) => d.reason === 'locked').length +
        (await trailOf(VICTIM.email, 'com.alaigned.auth.signin.locked')).length,
    );
    // While locked, the right password is refused on either console.
    for (const c of consoles)
      expect(outcomes([await c.client().call('auth.signIn', VICTIM)])).toEqual(['LOCKED_OUT']);
  });

  it('org settings changed on both consoles at once: the last writer wins and the trail shows both', async () => {
    const admins = consoles.map((c) => c.client());
    for (const admin of admins)
      ok(await admin.call('auth.signIn', { email: ADMIN.adminEmail, password: ADMIN.password }));
    const settingsEvents = async () => {
      const app = await createApp({
        dbPath: shared.location,
        logger: silentLogger,
        env: { ...process.env, ...shared.env },
      });
      try {
        const rows = await app.db
          .selectFrom('audit_events')
          .select('details')
          .where('type', '=', 'com.alaigned.organization.2fa.settings_changed')
          .orderBy('id')
          .execute();
        return {
          changes: rows.map(
            (r) => (JSON.parse(r.details) as { changes: Record<string, { to: unknown }> }).changes,
          ),
          now: await app.services.org.getSettings(),
        };
      } finally {
        await app.close();
      }
    };
    const before = (await settingsEvents()).changes.length;
    const changes = [
      { enabled: false, required: false },
      { enabled: true, required: false, requiredFor: 'admins' },
    ];
    const answers = await Promise.all(
      admins.map((admin, i) => admin.call('org.updateSettings', changes[i])),
    );
    expect(outcomes(answers)).toEqual(['accepted', 'accepted']);

    const after = await settingsEvents();
    // Both changes are in the trail; what is in force is what the later one changed to.
    expect(after.changes).toHaveLength(before + 2);
    for (const [key, change] of Object.entries(after.changes.at(-1)!))
      expect(after.now[key as keyof typeof after.now]).toBe(change.to);
  });

  it('after all of it the audit trail is one unforked chain', async () => {
    const verify = await runCliForTest(
      ['audit', 'verify', '--db', shared.location],
      '',
      shared.env,
    );
    expect(verify.code, verify.stderr).toBe(0);
  });
});
