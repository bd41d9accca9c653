import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { timeStep } from '../../src/main/two-factor/totp';
import {
  auditRows,
  caller,
  enroll,
  fails,
  ok,
  orgWithAdmin,
  totpFor,
  type Caller,
} from '../support/console-driver';
import { ADMIN, createTempApp, type TempApp } from '../support/temp-app';

const credentials = { email: ADMIN.adminEmail, password: ADMIN.password };

describe('sign-in with a second factor', () => {
  let temp: TempApp;
  let secret: string;
  let backupCodes: string[];
  beforeEach(async () => {
    temp = await createTempApp();
    const admin = await orgWithAdmin(temp);
    ok(await admin.call('org.updateSettings', { enabled: true, required: false }));
    ({ secret, backupCodes } = await enroll(temp, admin));
    temp.clock.advance(30_000); // the enrollment code's step is spent
  });
  afterEach(() => temp.close());

  async function pendingSession(): Promise<Caller> {
    const c = caller(temp.app);
    expect(ok(await c.call('auth.signIn', credentials))).toEqual({
      state: 'second_factor_required',
    });
    return c;
  }

  it('asks for a code after the password and opens nothing else until then', async () => {
    const c = await pendingSession();
    expect(ok(await c.call('auth.session'))).toMatchObject({
      state: 'second_factor_required',
      user: { email: ADMIN.adminEmail },
    });
    fails(await c.call('twoFactor.status'), 'UNAUTHENTICATED');
    fails(await c.call('org.getSettings'), 'UNAUTHENTICATED');
    fails(await c.call('audit.query', {}), 'UNAUTHENTICATED');
    expect(ok(await c.call('auth.verify', { code: totpFor(secret, temp.clock.now()) }))).toEqual({
      state: 'signed_in',
    });
    ok(await c.call('audit.query', {}));
  });

  it('accepts codes one step either side of now, not two', async () => {
    const outcomes: Array<[number, string]> = [];
    for (const offset of [-2, 2, -1, 0, 1]) {
      temp.clock.advance(5 * 60_000); // a fresh step each round, so nothing is a replay
      const c = await pendingSession();
      const envelope = await c.call('auth.verify', {
        code: totpFor(secret, temp.clock.now(), offset),
      });
      outcomes.push([offset, envelope.ok ? 'accepted' : envelope.error.code]);
    }
    expect(outcomes).toEqual([
      [-2, 'INVALID_CODE'],
      [2, 'INVALID_CODE'],
      [-1, 'accepted'],
      [0, 'accepted'],
      [1, 'accepted'],
    ]);
  });

  it('never accepts the same code twice, nor an older one after a newer one', async () => {
    const code = totpFor(secret, temp.clock.now());
    ok(await (await pendingSession()).call('auth.verify', { code }));
    const replay = fails(
      await (await pendingSession()).call('auth.verify', { code }),
      'INVALID_CODE',
    );
    expect(replay.message).toBe(
      'That code was already used. Wait for the next code in your authenticator app.',
    );
    // A code from the step before is inside the window but older than the one used: refused.
    fails(
      await (
        await pendingSession()
      ).call('auth.verify', { code: totpFor(secret, temp.clock.now(), -1) }),
      'INVALID_CODE',
    );
    temp.clock.advance(30_000);
    ok(
      await (
        await pendingSession()
      ).call('auth.verify', { code: totpFor(secret, temp.clock.now()) }),
    );
    const failed = await auditRows(temp.app, 'com.alaigned.auth.2fa.verify.failed');
    expect(failed.map((r) => r.details.reason)).toEqual(['reused_code', 'reused_code']);
  });

  it('tells a user whose device clock is off to fix it', async () => {
    const error = fails(
      await (
        await pendingSession()
      ).call('auth.verify', { code: totpFor(secret, temp.clock.now(), 6) }),
      'INVALID_CODE',
    );
    expect(error.message).toMatch(/clock seems about 3 min ahead.*Check your device time/);
    const [row] = await auditRows(temp.app, 'com.alaigned.auth.2fa.verify.failed');
    expect(row!.details.reason).toBe('clock_skew');
  });

  it('accepts each backup code once, in the same field, and counts what is left', async () => {
    const c = await pendingSession();
    expect(ok(await c.call('auth.verify', { code: backupCodes[0]!.toLowerCase() }))).toEqual({
      state: 'signed_in',
    });
    expect(ok(await c.call('twoFactor.status'))).toMatchObject({ backupCodesLeft: 9 });
    const again = fails(
      await (await pendingSession()).call('auth.verify', { code: backupCodes[0]! }),
      'INVALID_CODE',
    );
    expect(again.message).toBe('That backup code was already used. Each backup code works once.');
    const [success] = await auditRows(temp.app, 'com.alaigned.auth.2fa.verify.success').then(
      (rows) => rows.slice(-1),
    );
    expect(success).toMatchObject({
      method: 'backup_code',
      details: { purpose: 'sign_in', backupCodesLeft: 9 },
    });
  });

  it('regenerating backup codes needs a current code and kills every earlier code', async () => {
    const c = await pendingSession();
    ok(await c.call('auth.verify', { code: totpFor(secret, temp.clock.now()) }));
    fails(await c.call('twoFactor.regenerateBackupCodes', { code: '123456' }), 'INVALID_CODE');
    const fresh = ok<{ backupCodes: string[] }>(
      await c.call('twoFactor.regenerateBackupCodes', { code: backupCodes[1]! }),
    );
    expect(fresh.backupCodes).toHaveLength(10);
    expect(fresh.backupCodes.some((code) => backupCodes.includes(code))).toBe(false);
    for (const old of [backupCodes[2]!, backupCodes[9]!]) {
      fails(await (await pendingSession()).call('auth.verify', { code: old }), 'INVALID_CODE');
    }
    ok(await (await pendingSession()).call('auth.verify', { code: fresh.backupCodes[0]! }));
    expect(
      await auditRows(temp.app, 'com.alaigned.auth.2fa.backup_codes.regenerated'),
    ).toHaveLength(1);
  });

  it('locks after 5 failures for 1 min, doubling to 15 min, refusing even the right code meanwhile', async () => {
    const c = await pendingSession();
    const wrong = () => c.call('auth.verify', { code: '000000' });
    for (let i = 1; i <= 4; i++) fails(await wrong(), 'INVALID_CODE');
    const locked = fails(await wrong(), 'LOCKED_OUT');
    expect(locked.retryAfterSeconds).toBe(60);
    expect(locked.message).toBe('Too many failed attempts. Try again in 1 min.');

    temp.clock.advance(59_000);
    const stillLocked = fails(
      await c.call('auth.verify', { code: totpFor(secret, temp.clock.now()) }),
      'LOCKED_OUT',
    );
    expect(stillLocked.retryAfterSeconds).toBe(1);

    const waits: number[] = [];
    for (let i = 0; i < 5; i++) {
      temp.clock.advance(15 * 60_000);
      // The session itself must not idle out while we wait; a fresh one keeps the lock (per user).
      const next = await pendingSession();
      waits.push(
        fails(await next.call('auth.verify', { code: '000000' }), 'LOCKED_OUT').retryAfterSeconds!,
      );
    }
    expect(waits).toEqual([120, 240, 480, 900, 900]);

    temp.clock.advance(15 * 60_000);
    const after = await pendingSession();
    ok(await after.call('auth.verify', { code: totpFor(secret, temp.clock.now()) }));
    // A success resets the count: the next failure is the first again.
    temp.clock.advance(30_000);
    fails(await (await pendingSession()).call('auth.verify', { code: '000000' }), 'INVALID_CODE');

    const lockEvents = await auditRows(temp.app, 'com.alaigned.auth.2fa.locked');
    expect(lockEvents.map((r) => r.details.lockSeconds)).toEqual([60, 120, 240, 480, 900, 900]);
    const reasons = (await auditRows(temp.app, 'com.alaigned.auth.2fa.verify.failed')).map(
      (r) => r.details.reason,
    );
    expect(reasons.filter((r) => r === 'locked')).toHaveLength(1);
  });

  it('after 100 failures without a success only an admin can unlock', async () => {
    let session = await pendingSession();
    for (let i = 0; i < 100; i++) {
      // Sit out each wait (at most 15 min); a session lasts 12 h, so take a new one now and then.
      temp.clock.advance(15 * 60_000);
      if (i % 40 === 39) session = await pendingSession();
      const envelope = await session.call('auth.verify', { code: '000000' });
      expect(envelope.ok).toBe(false);
    }
    temp.clock.advance(24 * 60 * 60_000);
    const c = await pendingSession();
    const error = fails(
      await c.call('auth.verify', { code: totpFor(secret, temp.clock.now()) }),
      'LOCKED_OUT',
    );
    expect(error.message).toBe(
      'Too many failed attempts. An administrator must unlock this account.',
    );
    expect(error.retryAfterSeconds).toBeUndefined();
  });

  it('records every verification with user, email, IP, user agent, time and method', async () => {
    const c = caller(temp.app, '192.0.2.44');
    ok(await c.call('auth.signIn', credentials));
    await c.call('auth.verify', { code: '000000' });
    await c.call('auth.verify', { code: 'ZZZZ-ZZZZ-ZZZZ-ZZZZ' });
    ok(await c.call('auth.verify', { code: totpFor(secret, temp.clock.now()) }));
    const rows = (await auditRows(temp.app)).filter(
      (r) => r.type.includes('.verify.') && r.details.purpose === 'sign_in',
    );
    expect(rows.map((r) => [r.type.split('.').pop(), r.method, r.details.reason ?? null])).toEqual([
      ['failed', 'totp', 'wrong_code'],
      ['failed', 'backup_code', 'wrong_code'],
      ['success', 'totp', null],
    ]);
    for (const row of rows) {
      expect(row).toMatchObject({
        email: ADMIN.adminEmail,
        ip: '192.0.2.44',
        user_agent: 'vitest/1 (two-factor suite)',
        ts: temp.clock.now(),
      });
      expect(row.user_id).toMatch(/^[0-9a-f-]{36}$/);
    }
    expect(timeStep(temp.clock.now())).toBeGreaterThan(0);
  });
});

describe('password failures are throttled the same way', () => {
  let temp: TempApp;
  beforeEach(async () => {
    temp = await createTempApp();
    await orgWithAdmin(temp);
  });
  afterEach(() => temp.close());

  it('locks the e-mail after 5 wrong passwords, known or not, and refuses the right one meanwhile', async () => {
    const c = caller(temp.app);
    for (let i = 1; i <= 4; i++)
      fails(
        await c.call('auth.signIn', { ...credentials, password: 'wrong password' }),
        'UNAUTHENTICATED',
      );
    expect(
      fails(
        await c.call('auth.signIn', { ...credentials, password: 'wrong password' }),
        'LOCKED_OUT',
      ).retryAfterSeconds,
    ).toBe(60);
    fails(await c.call('auth.signIn', credentials), 'LOCKED_OUT');
    // An unknown e-mail locks the same way, so lockouts do not reveal which accounts exist.
    for (let i = 1; i <= 4; i++)
      fails(
        await c.call('auth.signIn', { email: 'nobody@acme.test', password: 'x' }),
        'UNAUTHENTICATED',
      );
    fails(await c.call('auth.signIn', { email: 'nobody@acme.test', password: 'x' }), 'LOCKED_OUT');
    temp.clock.advance(60_000);
    ok(await c.call('auth.signIn', credentials));
    expect(await auditRows(temp.app, 'com.alaigned.auth.signin.locked')).toHaveLength(2);
  });
});
