import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { callNames, contract, type UserOverview } from '../../src/shared/contract';
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
import { ADMIN, createTempApp, type TempApp } from '../support/temp-app';

const MINUTE = 60_000;

describe('admin console', () => {
  let temp: TempApp;
  let admin: Caller;
  let adminSecret: string;
  beforeEach(async () => {
    temp = await createTempApp();
    admin = await orgWithAdmin(temp);
    ok(await admin.call('org.updateSettings', { enabled: true, required: false }));
    ({ secret: adminSecret } = await enroll(temp, admin));
  });
  afterEach(() => temp.close());

  /** A fresh admin code: each step is accepted once, so move to the next step first. */
  const adminCode = () => {
    temp.clock.advance(30_000);
    return totpFor(adminSecret, temp.clock.now());
  };
  const list = async (input: Record<string, unknown> = {}) =>
    ok<{ users: UserOverview[] }>(await admin.call('users.list', input)).users;
  const byEmail = async (email: string) => (await list()).find((u) => u.email === email)!;

  describe('who may call what', () => {
    it('refuses every admin call to members and to users owing setup', async () => {
      const member = await addMember(temp, 'mia@acme.test');
      const mia = await signIn(temp, member.email, member.password);
      const adminCalls = callNames.filter((name) => contract[name].access === 'admin');
      expect(adminCalls).toEqual(
        expect.arrayContaining([
          'users.list',
          'users.resetTwoFactor',
          'users.unlock',
          'users.add',
          'users.import',
          'users.setRole',
          'users.deactivate',
          'org.updateSettings',
        ]),
      );
      for (const name of adminCalls) fails(await mia.call(name, {}), 'FORBIDDEN');

      const second = await addMember(temp, 'sam@acme.test');
      ok(
        await admin.call('users.setRole', {
          userId: (await byEmail(second.email)).id,
          role: 'site_admin',
        }),
      );
      ok(await admin.call('org.updateSettings', { enabled: true, required: true }));
      const sam = await signIn(temp, second.email, second.password);
      expect(ok(await sam.call('auth.session'))).toMatchObject({ state: 'setup_required' });
      for (const name of adminCalls) fails(await sam.call(name, {}), 'TWO_FACTOR_SETUP_REQUIRED');
    });
  });

  describe("users' 2FA status view", () => {
    it('shows each status, last verification, failures of the last 7 days and backup codes left', async () => {
      const enrolled = await addMember(temp, 'enrolled@acme.test');
      const locked = await addMember(temp, 'locked@acme.test');
      await addMember(temp, 'plain@acme.test');
      const e = await signIn(temp, enrolled.email, enrolled.password);
      const { backupCodes } = await enroll(temp, e);
      temp.clock.advance(30_000);
      const again = await signIn(temp, enrolled.email, enrolled.password);
      ok(await again.call('auth.verify', { code: backupCodes[0]! }));
      // An old failure (8 days ago) does not count; two recent ones do.
      const l = await signIn(temp, locked.email, locked.password);
      await enroll(temp, l);
      temp.clock.advance(30_000);
      const old = await signIn(temp, locked.email, locked.password);
      fails(await old.call('auth.verify', { code: '000000' }), 'INVALID_CODE');
      temp.clock.advance(8 * 24 * 60 * MINUTE);
      admin = await signIn(temp, ADMIN.adminEmail, ADMIN.password);
      ok(await admin.call('auth.verify', { code: totpFor(adminSecret, temp.clock.now()) }));
      const recent = await signIn(temp, locked.email, locked.password);
      for (let i = 0; i < 5; i++) await recent.call('auth.verify', { code: '000000' });

      const users = await list();
      const row = (email: string) => users.find((u) => u.email === email)!.twoFactor;
      expect(row('plain@acme.test')).toMatchObject({
        status: 'not_enrolled',
        enrolled: false,
        backupCodesLeft: 0,
        lastVerifiedAt: null,
        failuresLast7Days: 0,
      });
      expect(row(enrolled.email)).toMatchObject({
        status: 'enrolled',
        lastMethod: 'backup_code',
        backupCodesLeft: 9,
        failuresLast7Days: 0,
      });
      expect(row(enrolled.email).lastVerifiedAt).not.toBeNull();
      expect(row(locked.email)).toMatchObject({
        status: 'locked',
        enrolled: true,
        failuresLast7Days: 5,
        needsAdminUnlock: false,
      });
      expect(row(locked.email).lockedUntil).toBe(new Date(temp.clock.now() + MINUTE).toISOString());
      expect(row(ADMIN.adminEmail)).toMatchObject({ status: 'enrolled', lastMethod: 'totp' });

      // Org 2FA off: enrolled users are inactive, not enrolled.
      ok(await admin.call('org.updateSettings', { enabled: false, required: false }));
      expect((await byEmail(enrolled.email)).twoFactor.status).toBe('inactive');
    });

    it('filters by status and role and searches name and email', async () => {
      await addMember(temp, 'mia@acme.test');
      await addMember(temp, 'max@acme.test');
      await addMember(temp, 'sam@example.org');
      expect((await list({ status: 'not_enrolled' })).map((u) => u.email)).toEqual(
        ['mia@acme.test', 'max@acme.test', 'sam@example.org'].sort(),
      );
      expect((await list({ status: 'enrolled' })).map((u) => u.email)).toEqual([ADMIN.adminEmail]);
      expect((await list({ role: 'site_admin' })).map((u) => u.email)).toEqual([ADMIN.adminEmail]);
      expect((await list({ search: 'EXAMPLE' })).map((u) => u.email)).toEqual(['sam@example.org']);
      expect((await list({ search: 'ada admin' })).map((u) => u.email)).toEqual([ADMIN.adminEmail]);
    });
  });

  describe('reset and unlock', () => {
    it('reset needs the admin’s own current code every time, removes the 2FA, and is audited', async () => {
      const member = await addMember(temp, 'mia@acme.test');
      const mia = await signIn(temp, member.email, member.password);
      await enroll(temp, mia);
      const userId = (await byEmail(member.email)).id;

      const noProof = fails(await admin.call('users.resetTwoFactor', { userId }), 'INVALID_INPUT');
      expect(noProof.message).toMatch(/^code: Confirm it is you/);
      fails(await admin.call('users.resetTwoFactor', { userId, code: '000000' }), 'INVALID_CODE');
      ok(await admin.call('users.resetTwoFactor', { userId, code: adminCode() }));

      expect((await byEmail(member.email)).twoFactor).toMatchObject({
        status: 'not_enrolled',
        backupCodesLeft: 0,
      });
      // Their sessions ended; at the next sign-in they start over.
      expect(ok(await mia.call('auth.session'))).toEqual({ state: 'signed_out' });
      const next = await signIn(temp, member.email, member.password);
      expect(ok(await next.call('auth.session'))).toMatchObject({ state: 'signed_in' });
      const [row] = await auditRows(temp.app, 'com.alaigned.auth.2fa.reset');
      expect(row).toMatchObject({
        user_id: userId,
        email: member.email,
        details: { actorEmail: ADMIN.adminEmail, wasActive: true },
      });
      fails(await admin.call('users.resetTwoFactor', { userId, code: adminCode() }), 'CONFLICT');
    });

    it('unlock lifts a lockout without resetting, and says when there is nothing to unlock', async () => {
      const member = await addMember(temp, 'mia@acme.test');
      const { secret } = await enroll(temp, await signIn(temp, member.email, member.password));
      temp.clock.advance(30_000);
      const pending = await signIn(temp, member.email, member.password);
      for (let i = 0; i < 5; i++) await pending.call('auth.verify', { code: '000000' });
      const userId = (await byEmail(member.email)).id;
      expect((await byEmail(member.email)).twoFactor.status).toBe('locked');

      fails(await admin.call('users.unlock', { userId }), 'INVALID_INPUT');
      ok(await admin.call('users.unlock', { userId, code: adminCode() }));
      expect((await byEmail(member.email)).twoFactor.status).toBe('enrolled');
      ok(await pending.call('auth.verify', { code: totpFor(secret, temp.clock.now()) }));
      expect(await auditRows(temp.app, 'com.alaigned.auth.2fa.unlocked')).toHaveLength(1);
      fails(await admin.call('users.unlock', { userId, code: adminCode() }), 'CONFLICT');
    });
  });

  describe('managing users', () => {
    it('a proof covers five minutes of other admin changes; after that a new one is needed', async () => {
      ok(await admin.call('users.add', { email: 'a@acme.test', name: 'A', role: 'member' }));
      temp.clock.advance(5 * MINUTE + 1000);
      // Keep the session alive but let the proof age.
      fails(
        await admin.call('users.add', { email: 'b@acme.test', name: 'B', role: 'member' }),
        'INVALID_INPUT',
      );
      ok(
        await admin.call('users.add', {
          email: 'b@acme.test',
          name: 'B',
          role: 'member',
          code: adminCode(),
        }),
      );
      ok(await admin.call('users.add', { email: 'c@acme.test', name: 'C', role: 'member' }));
      expect(ok(await admin.call('auth.reauthStatus'))).toMatchObject({
        method: 'code',
        until: expect.any(String),
      });
    });

    it('adds a user with a one-time temporary password that signs them in', async () => {
      const added = ok<{ id: string; temporaryPassword: string }>(
        await admin.call('users.add', {
          email: 'new@acme.test',
          name: 'New Person',
          role: 'member',
        }),
      );
      expect(added.temporaryPassword).toMatch(/^[0-9a-z]{4}(-[0-9a-z]{4}){3}$/);
      const person = caller(temp.app);
      expect(
        ok(
          await person.call('auth.signIn', {
            email: 'new@acme.test',
            password: added.temporaryPassword,
          }),
        ),
      ).toEqual({ state: 'signed_in' });
      fails(
        await admin.call('users.add', { email: 'new@acme.test', name: 'Again', role: 'member' }),
        'CONFLICT',
      );
      const [row] = await auditRows(temp.app, 'com.alaigned.user.created').then((rows) =>
        rows.slice(-1),
      );
      expect(row).toMatchObject({
        email: 'new@acme.test',
        details: { actorEmail: ADMIN.adminEmail, role: 'member' },
      });
      expect(JSON.stringify(await auditRows(temp.app))).not.toContain(added.temporaryPassword);
    });

    it('imports all lines or none, naming every bad line', async () => {
      await addMember(temp, 'taken@acme.test');
      const bad = [
        'email,name,role',
        'ok@acme.test,Okay,member',
        'nope,No Email,member',
        'x@acme.test,,member',
        'y@acme.test,Why,root',
        'taken@acme.test,Taken,member',
        'ok@acme.test,Twice,member',
      ].join('\n');
      const error = fails(
        await admin.call('users.import', { csv: bad, jobId: randomUUID() }),
        'INVALID_INPUT',
      );
      expect(error.message).toContain('Nothing was imported');
      expect(error.message).toContain('line 3: email "nope": Enter a valid email address');
      expect(error.message).toContain('line 4: name "": Name is required');
      expect(error.message).toMatch(/line 5: role "root": /);
      expect(error.message).toContain('line 6: email "taken@acme.test" already has an account');
      expect(error.message).toContain('line 7: email "ok@acme.test" already appears on line 2');
      expect((await list()).map((u) => u.email)).not.toContain('ok@acme.test');
      fails(
        await admin.call('users.import', {
          csv: 'mail,name,role\na@b.c,A,member',
          jobId: randomUUID(),
        }),
        'INVALID_INPUT',
      );

      const good =
        'Email,Name,Role\n"lee@acme.test","Lee, Jr.",member\nkim@acme.test,Kim,enterprise_admin\n';
      const imported = ok<{ users: Array<{ email: string; temporaryPassword: string }> }>(
        await admin.call('users.import', { csv: good, jobId: randomUUID() }),
      ).users;
      expect(imported.map((u) => u.email)).toEqual(['lee@acme.test', 'kim@acme.test']);
      expect((await byEmail('lee@acme.test')).name).toBe('Lee, Jr.');
      expect((await byEmail('kim@acme.test')).role).toBe('enterprise_admin');
      ok(
        await caller(temp.app).call('auth.signIn', {
          email: 'kim@acme.test',
          password: imported[1]!.temporaryPassword,
        }),
      );
      expect(await auditRows(temp.app, 'com.alaigned.user.imported')).toHaveLength(1);
    });

    it('a users import cancelled while it prepares imports nobody', async () => {
      const jobId = randomUUID();
      const csv = ['email,name,role']
        .concat(Array.from({ length: 24 }, (_, i) => `c${i}@acme.test,C ${i},member`))
        .join('\n');
      let cancelled: ReturnType<typeof admin.call> | null = null;
      const stop = temp.app.push.subscribe((message) => {
        const progress = message.event === 'job.progress' ? message.payload : null;
        if (progress && 'jobId' in progress && progress.jobId === jobId && !cancelled)
          cancelled = admin.call('audit.cancelJob', { jobId });
      });
      try {
        const error = fails(await admin.call('users.import', { csv, jobId }), 'CONFLICT');
        expect(error.message).toContain('cancelled');
      } finally {
        stop();
      }
      expect(ok<{ cancelled: boolean }>(await cancelled!).cancelled).toBe(true);
      expect((await list()).filter((u) => u.email.startsWith('c'))).toEqual([]);
      expect(await auditRows(temp.app, 'com.alaigned.user.imported')).toHaveLength(0);
    });

    it('never removes or demotes the last admin, and nobody deactivates themselves', async () => {
      const adminId = (await byEmail(ADMIN.adminEmail)).id;
      expect(
        fails(await admin.call('users.setRole', { userId: adminId, role: 'member' }), 'CONFLICT')
          .message,
      ).toContain('last administrator');
      expect(
        fails(await admin.call('users.deactivate', { userId: adminId }), 'CONFLICT').message,
      ).toContain('your own account');
      const other = await addMember(temp, 'eve@acme.test');
      const otherId = (await byEmail(other.email)).id;
      ok(await admin.call('users.setRole', { userId: otherId, role: 'enterprise_admin' }));
      ok(await admin.call('users.setRole', { userId: otherId, role: 'member' }));
      expect(
        (await auditRows(temp.app, 'com.alaigned.user.role_changed')).map((r) => [
          r.details.from,
          r.details.to,
        ]),
      ).toEqual([
        ['member', 'enterprise_admin'],
        ['enterprise_admin', 'member'],
      ]);
      const eve = await signIn(temp, other.email, other.password);
      ok(await admin.call('users.deactivate', { userId: otherId }));
      expect(ok(await eve.call('auth.session'))).toEqual({ state: 'signed_out' });
      fails(await caller(temp.app).call('auth.signIn', other), 'UNAUTHENTICATED');
      expect((await byEmail(other.email)).accountStatus).toBe('deactivated');
    });
  });

  describe('requirement by role', () => {
    it('admins only: admins without 2FA go to setup, members do not; the preview lists exactly them', async () => {
      const member = await addMember(temp, 'mia@acme.test');
      const admin2 = await addMember(temp, 'sam@acme.test');
      ok(
        await admin.call('users.setRole', {
          userId: (await byEmail(admin2.email)).id,
          role: 'enterprise_admin',
        }),
      );
      const preview = ok<{ users: Array<{ email: string }> }>(
        await admin.call('org.previewRequirement', { requiredFor: 'admins' }),
      );
      expect(preview.users.map((u) => u.email)).toEqual(['sam@acme.test']);
      const everyone = ok<{ users: Array<{ email: string }> }>(
        await admin.call('org.previewRequirement', { requiredFor: 'everyone' }),
      );
      expect(everyone.users.map((u) => u.email).sort()).toEqual(['mia@acme.test', 'sam@acme.test']);

      expect(
        ok(
          await admin.call('org.updateSettings', {
            enabled: true,
            required: true,
            requiredFor: 'admins',
          }),
        ),
      ).toEqual({ enabled: true, required: true, requiredFor: 'admins' });
      expect(
        ok(await (await signIn(temp, member.email, member.password)).call('auth.session')),
      ).toMatchObject({ state: 'signed_in' });
      const sam = await signIn(temp, admin2.email, admin2.password);
      expect(ok(await sam.call('auth.session'))).toMatchObject({ state: 'setup_required' });
      fails(await sam.call('users.list'), 'TWO_FACTOR_SETUP_REQUIRED');
      expect(
        ok(await (await signIn(temp, member.email, member.password)).call('twoFactor.status')),
      ).toMatchObject({ orgRequired: true, requiredForYou: false, canDisable: false });

      const [changed] = await auditRows(
        temp.app,
        'com.alaigned.organization.2fa.settings_changed',
      ).then((r) => r.slice(-1));
      expect(changed!.details).toMatchObject({
        changes: {
          required: { from: false, to: true },
          requiredFor: { from: 'everyone', to: 'admins' },
        },
      });
    });
  });
});
