import { afterEach, beforeEach, describe, expect, it } from 'vitest';
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

describe('org 2FA settings: the guide’s rules', () => {
  let temp: TempApp;
  let admin: Caller;
  beforeEach(async () => {
    temp = await createTempApp();
    admin = await orgWithAdmin(temp);
  });
  afterEach(() => temp.close());

  const update = (enabled: boolean, required: boolean) =>
    admin.call('org.updateSettings', { enabled, required });

  it('starts off; require implies enabled; turning enable off turns require off', async () => {
    expect(ok(await admin.call('org.getSettings'))).toEqual({
      enabled: false,
      required: false,
      requiredFor: 'everyone',
    });
    expect(ok(await update(true, false))).toEqual({
      enabled: true,
      required: false,
      requiredFor: 'everyone',
    });
    await enroll(temp, admin);
    expect(ok(await update(true, true))).toEqual({
      enabled: true,
      required: true,
      requiredFor: 'everyone',
    });
    // Switching enable off while require was on switches both off.
    expect(ok(await update(false, true))).toEqual({
      enabled: false,
      required: false,
      requiredFor: 'everyone',
    });
    // Asking to require while off switches enable on.
    expect(ok(await update(false, true))).toEqual({
      enabled: true,
      required: true,
      requiredFor: 'everyone',
    });
    expect(ok(await admin.call('org.getSettings'))).toEqual({
      enabled: true,
      required: true,
      requiredFor: 'everyone',
    });
  });

  it('refuses to require 2FA before the admin has it, so nobody locks themselves out', async () => {
    await update(true, false);
    const error = fails(await update(true, true), 'CONFLICT');
    expect(error.message).toContain(
      'Set up two-factor authentication for your own account before requiring it.',
    );
    expect(ok(await admin.call('org.getSettings'))).toEqual({
      enabled: true,
      required: false,
      requiredFor: 'everyone',
    });
  });

  it('audits which settings changed, from what to what, and who changed them; no change, no event', async () => {
    await update(true, false);
    await enroll(temp, admin);
    await update(true, true);
    await update(true, true);
    await update(false, false);
    const rows = await auditRows(temp.app, 'com.alaigned.organization.2fa.settings_changed');
    expect(rows.map((r) => r.details)).toEqual([
      { changed: ['enabled'], changes: { enabled: { from: false, to: true } } },
      { changed: ['required'], changes: { required: { from: false, to: true } } },
      {
        changed: ['enabled', 'required'],
        changes: { enabled: { from: true, to: false }, required: { from: true, to: false } },
      },
    ]);
    for (const row of rows) {
      expect(row).toMatchObject({
        email: 'ada@acme.test',
        ip: '198.51.100.1',
        user_agent: 'vitest/1 (two-factor suite)',
      });
      expect(row.user_id).toBeTruthy();
    }
  });

  it('lets only admins change settings, on every transport (router here)', async () => {
    const member = await addMember(temp, 'mia@acme.test');
    const mia = await signIn(temp, member.email, member.password);
    fails(
      await mia.call('org.updateSettings', {
        enabled: true,
        required: true,
        requiredFor: 'everyone',
      }),
      'FORBIDDEN',
    );
    expect(ok(await mia.call('org.getSettings'))).toEqual({
      enabled: false,
      required: false,
      requiredFor: 'everyone',
    });
    fails(
      await caller(temp.app).call('org.updateSettings', {
        enabled: true,
        required: false,
        requiredFor: 'everyone',
      }),
      'UNAUTHENTICATED',
    );
    fails(await caller(temp.app).call('org.getSettings'), 'UNAUTHENTICATED');
  });

  it('disabled: nobody can enable 2FA; configurations sleep and come back when re-enabled', async () => {
    fails(await admin.call('twoFactor.beginSetup'), 'FORBIDDEN');
    await update(true, false);
    const member = await addMember(temp, 'mia@acme.test');
    const mia = await signIn(temp, member.email, member.password);
    const { secret } = await enroll(temp, mia);

    await update(false, false);
    // Not prompted while off: the password alone signs in.
    const whileOff = caller(temp.app);
    expect(ok(await whileOff.call('auth.signIn', member))).toEqual({ state: 'signed_in' });
    const status = ok<Record<string, unknown>>(await whileOff.call('twoFactor.status'));
    expect(status).toMatchObject({
      orgEnabled: false,
      enrolled: true,
      active: false,
      canDisable: false,
    });
    fails(
      await whileOff.call('twoFactor.disable', { code: totpFor(secret, temp.clock.now()) }),
      'FORBIDDEN',
    );
    fails(await whileOff.call('twoFactor.beginSetup'), 'FORBIDDEN');

    await update(true, false);
    temp.clock.advance(60_000);
    const afterOn = caller(temp.app);
    expect(ok(await afterOn.call('auth.signIn', member))).toEqual({
      state: 'second_factor_required',
    });
    expect(
      ok(await afterOn.call('auth.verify', { code: totpFor(secret, temp.clock.now()) })),
    ).toEqual({ state: 'signed_in' });
  });

  it('a session waiting for a code is void once 2FA goes inactive', async () => {
    await update(true, false);
    const member = await addMember(temp, 'mia@acme.test');
    await enroll(temp, await signIn(temp, member.email, member.password));
    const pending = await signIn(temp, member.email, member.password);
    expect(ok(await pending.call('auth.session'))).toMatchObject({
      state: 'second_factor_required',
    });
    await update(false, false);
    expect(ok(await pending.call('auth.session'))).toEqual({ state: 'signed_out' });
  });
});
