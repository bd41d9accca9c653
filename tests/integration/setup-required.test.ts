import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { callNames, contract } from '../../src/shared/contract';
import {
  addMember,
  auditRows,
  caller,
  enroll,
  fails,
  ok,
  orgWithAdmin,
  signIn,
  totpFor,
  type Caller,
} from '../support/console-driver';
import { createTempApp, type TempApp } from '../support/temp-app';

const SETUP_MESSAGE =
  'Your organization requires two-factor authentication. Please set it up to continue.';

describe('when the org requires 2FA', () => {
  let temp: TempApp;
  let admin: Caller;
  let member: { email: string; password: string };
  beforeEach(async () => {
    temp = await createTempApp();
    admin = await orgWithAdmin(temp);
    ok(await admin.call('org.updateSettings', { enabled: true, required: false }));
    await enroll(temp, admin);
    member = await addMember(temp, 'mia@acme.test');
    ok(await admin.call('org.updateSettings', { enabled: true, required: true }));
  });
  afterEach(() => temp.close());

  it('sends a user without 2FA to setup and refuses every other call with the guide’s sentence', async () => {
    const mia = await signIn(temp, member.email, member.password);
    expect(ok(await mia.call('auth.session'))).toMatchObject({
      state: 'setup_required',
      user: { email: member.email },
    });
    // Every call outside auth.*, twoFactor.* and account.* is refused, whatever its access level.
    const open = callNames.filter((name) => /^(auth|twoFactor|account|app)\./.test(name));
    const closed = callNames.filter(
      (name) => !open.includes(name) && contract[name].access !== 'anonymous',
    );
    expect(closed.length).toBeGreaterThan(0);
    for (const name of closed) {
      const error = fails(await mia.call(name, {}), 'TWO_FACTOR_SETUP_REQUIRED');
      expect(error.message).toBe(SETUP_MESSAGE);
    }
    ok(await mia.call('twoFactor.status'));
    ok(await mia.call('auth.signOut'));
  });

  it('lets them set up, then opens the console; they cannot turn 2FA off again', async () => {
    const mia = await signIn(temp, member.email, member.password);
    const { secret } = await enroll(temp, mia);
    expect(ok(await mia.call('auth.session'))).toMatchObject({ state: 'signed_in' });
    expect(ok(await mia.call('twoFactor.status'))).toMatchObject({
      requiredForYou: true,
      canDisable: false,
    });
    temp.clock.advance(30_000);
    const error = fails(
      await mia.call('twoFactor.disable', { code: totpFor(secret, temp.clock.now()) }),
      'FORBIDDEN',
    );
    expect(error.message).toBe(
      'Your organization requires two-factor authentication, so you cannot turn it off.',
    );
  });

  it('when no longer required, users can turn their own 2FA off with a current code', async () => {
    const mia = await signIn(temp, member.email, member.password);
    const { secret, backupCodes } = await enroll(temp, mia);
    ok(await admin.call('org.updateSettings', { enabled: true, required: false }));
    fails(await mia.call('twoFactor.disable', { code: '000000' }), 'INVALID_CODE');
    ok(await mia.call('twoFactor.disable', { code: backupCodes[0]! }));
    const [disabled] = await auditRows(temp.app, 'com.alaigned.auth.2fa.disabled');
    expect(disabled).toMatchObject({
      email: member.email,
      ip: '203.0.113.7',
      user_agent: 'vitest/1 (two-factor suite)',
      ts: temp.clock.now(),
      details: { by: 'self' },
    });
    expect(ok(await mia.call('twoFactor.status'))).toMatchObject({
      enrolled: false,
      backupCodesLeft: 0,
    });
    // The secret and codes are gone: the old secret's codes no longer mean anything.
    expect(await temp.app.db.selectFrom('backup_codes').selectAll().execute()).toHaveLength(10); // the admin's
    const again = await signIn(temp, member.email, member.password);
    expect(ok(await again.call('auth.session'))).toMatchObject({ state: 'signed_in' });
    expect(secret).toMatch(/^[A-Z2-7]+$/);
  });

  it('applies to sessions already open: requirement switched on mid-session redirects at the next call', async () => {
    ok(await admin.call('org.updateSettings', { enabled: true, required: false }));
    const mia = await signIn(temp, member.email, member.password);
    ok(await mia.call('org.getSettings'));
    ok(await admin.call('org.updateSettings', { enabled: true, required: true }));
    expect(ok(await mia.call('auth.session'))).toMatchObject({ state: 'setup_required' });
    fails(await mia.call('audit.query', {}), 'TWO_FACTOR_SETUP_REQUIRED');
  });
});

describe('account settings', () => {
  let temp: TempApp;
  beforeEach(async () => {
    temp = await createTempApp();
  });
  afterEach(() => temp.close());

  it('changing the password needs the current one and, with 2FA on, a current code; other sessions end', async () => {
    const admin = await orgWithAdmin(temp);
    ok(await admin.call('org.updateSettings', { enabled: true, required: false }));
    const member = await addMember(temp, 'mia@acme.test');
    const mia = await signIn(temp, member.email, member.password);
    const elsewhere = await signIn(temp, member.email, member.password);
    ok(
      await mia.call('account.changePassword', {
        currentPassword: member.password,
        newPassword: 'a brand new passphrase',
      }),
    );
    expect(ok(await elsewhere.call('auth.session'))).toEqual({ state: 'signed_out' });
    expect(ok(await mia.call('auth.session'))).toMatchObject({ state: 'signed_in' });

    const { secret } = await enroll(temp, mia);
    temp.clock.advance(30_000);
    const input = {
      currentPassword: 'a brand new passphrase',
      newPassword: 'another new passphrase',
    };
    expect(fails(await mia.call('account.changePassword', input), 'INVALID_INPUT').message).toMatch(
      /^code: /,
    );
    fails(
      await mia.call('account.changePassword', {
        ...input,
        currentPassword: 'not my password',
        code: totpFor(secret, temp.clock.now()),
      }),
      'INVALID_INPUT',
    );
    fails(
      await mia.call('account.changePassword', { ...input, newPassword: 'short' }),
      'INVALID_INPUT',
    );
    ok(
      await mia.call('account.changePassword', {
        ...input,
        code: totpFor(secret, temp.clock.now()),
      }),
    );
    // The old password no longer works.
    fails(
      await caller(temp.app).call('auth.signIn', {
        email: member.email,
        password: 'a brand new passphrase',
      }),
      'UNAUTHENTICATED',
    );
  });
});
