import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Envelope } from '../../src/shared/envelope';
import type { App } from '../../src/main/app';
import { engineName } from '../support/engine';
import { ADMIN } from '../support/temp-app';
import { totpFor } from '../support/console-driver';

/** One signed-in-or-not client of the console, over whichever transport the suite runs on. */
export interface Caller {
  call(name: string, input?: unknown): Promise<Envelope<unknown>>;
}

export interface ContractTarget {
  app: App;
  clock: { now(): number; advance(ms: number): void };
  newCaller(): Caller;
  close(): Promise<void>;
}

function expectError(envelope: Envelope<unknown>, code: string): string {
  expect(envelope.ok, JSON.stringify(envelope)).toBe(false);
  if (envelope.ok) throw new Error('unreachable');
  expect(envelope.error.code).toBe(code);
  return envelope.error.message;
}

function expectData<T = Record<string, unknown>>(envelope: Envelope<unknown>): T {
  expect(envelope.ok, JSON.stringify(envelope)).toBe(true);
  if (!envelope.ok) throw new Error('unreachable');
  return envelope.data as T;
}

/**
 * The contract's behaviour, written once and run against every transport: the router called
 * directly and the loopback web host. A difference between the two is a bug in a transport.
 */
export function contractSuite(transport: string, start: () => Promise<ContractTarget>) {
  describe(`contract over ${transport} on ${engineName}`, () => {
    let target: ContractTarget;
    beforeEach(async () => {
      target = await start();
    });
    afterEach(async () => {
      await target.close();
    });

    async function createOrg(caller = target.newCaller()) {
      return expectData(await caller.call('org.create', ADMIN));
    }

    it('answers NOT_FOUND for unknown names, including prototype members', async () => {
      const caller = target.newCaller();
      for (const name of [
        'nope.nothing',
        '__proto__',
        'constructor',
        'toString',
        'hasOwnProperty',
        'auth.session.x',
        '',
      ]) {
        const message = expectError(await caller.call(name, {}), 'NOT_FOUND');
        expect(message).toContain('Unknown call');
      }
    });

    it('starts with no organization and a signed-out caller', async () => {
      const caller = target.newCaller();
      expect(expectData(await caller.call('app.bootstrap'))).toEqual({
        orgExists: false,
        orgName: null,
      });
      expect(expectData(await caller.call('auth.session'))).toEqual({ state: 'signed_out' });
    });

    it('validates input and names the offending field', async () => {
      const caller = target.newCaller();
      const badEmail = expectError(
        await caller.call('org.create', { ...ADMIN, adminEmail: 'not-an-email' }),
        'INVALID_INPUT',
      );
      expect(badEmail).toContain('adminEmail');
      const shortPassword = expectError(
        await caller.call('org.create', { ...ADMIN, password: 'short' }),
        'INVALID_INPUT',
      );
      expect(shortPassword).toMatch(/password: .*12 characters/);
      const extraKey = expectError(
        await caller.call('org.create', { ...ADMIN, role: 'site_admin' }),
        'INVALID_INPUT',
      );
      expect(extraKey).toMatch(/role|Unrecognized/i);
      expectError(await caller.call('auth.session', { unexpected: true }), 'INVALID_INPUT');
      expectError(await caller.call('auth.signIn', 'a string'), 'INVALID_INPUT');
      expect(expectData(await caller.call('app.bootstrap'))).toMatchObject({ orgExists: false });
    });

    it('creates the organization once, then refuses a second one', async () => {
      expect(await createOrg()).toEqual({ orgName: ADMIN.orgName, adminEmail: ADMIN.adminEmail });
      const caller = target.newCaller();
      expect(expectData(await caller.call('app.bootstrap'))).toEqual({
        orgExists: true,
        orgName: ADMIN.orgName,
      });
      expectError(
        await caller.call('org.create', { ...ADMIN, adminEmail: 'other@acme.test' }),
        'CONFLICT',
      );
    });

    it('signs in with the right password only, with one message for every failure', async () => {
      await createOrg();
      const caller = target.newCaller();
      const wrong = expectError(
        await caller.call('auth.signIn', { email: ADMIN.adminEmail, password: 'wrong password!' }),
        'UNAUTHENTICATED',
      );
      const unknown = expectError(
        await caller.call('auth.signIn', { email: 'nobody@acme.test', password: ADMIN.password }),
        'UNAUTHENTICATED',
      );
      expect(wrong).toBe(unknown);
      expect(expectData(await caller.call('auth.session'))).toEqual({ state: 'signed_out' });

      // E-mail is matched case-insensitively, as people type it.
      const signedIn = await caller.call('auth.signIn', {
        email: ' ADA@Acme.Test ',
        password: ADMIN.password,
      });
      expect(expectData(signedIn)).toEqual({ state: 'signed_in' });
      const session = expectData<{ state: string; user: Record<string, unknown> }>(
        await caller.call('auth.session'),
      );
      expect(session.state).toBe('signed_in');
      // Exactly the declared fields: no hash or secret ever leaves main.
      expect(Object.keys(session.user).sort()).toEqual(['email', 'id', 'name', 'role']);
      expect(session.user).toMatchObject({
        email: ADMIN.adminEmail,
        name: ADMIN.adminName,
        role: 'site_admin',
      });
    });

    it('keeps sessions apart per caller and ends them on sign-out', async () => {
      await createOrg();
      const first = target.newCaller();
      const second = target.newCaller();
      expectData(
        await first.call('auth.signIn', { email: ADMIN.adminEmail, password: ADMIN.password }),
      );
      expect(expectData(await second.call('auth.session'))).toEqual({ state: 'signed_out' });
      expectData(await first.call('auth.signOut'));
      expect(expectData(await first.call('auth.session'))).toEqual({ state: 'signed_out' });
      // Signing out twice is harmless.
      expectData(await first.call('auth.signOut'));
    });

    it('runs two-factor sign-in, lockout and the setup requirement the same way', async () => {
      const admin = target.newCaller();
      expectData(await admin.call('org.create', ADMIN));
      expectData(
        await admin.call('auth.signIn', { email: ADMIN.adminEmail, password: ADMIN.password }),
      );
      expectData(await admin.call('org.updateSettings', { enabled: true, required: false }));
      const setup = expectData<{ secret: string }>(await admin.call('twoFactor.beginSetup'));
      const confirmed = await admin.call('twoFactor.confirmSetup', {
        code: totpFor(setup.secret, target.clock.now()),
      });
      expect(expectData<{ backupCodes: string[] }>(confirmed).backupCodes).toHaveLength(10);
      expectData(await admin.call('org.updateSettings', { enabled: true, required: true }));

      const member = { email: 'mia@acme.test', password: 'member password 1' };
      await target.app.services.users.add(
        { ...member, name: 'Mia', role: 'member' },
        { ip: '127.0.0.1', userAgent: 't' },
        null,
      );
      const mia = target.newCaller();
      expect(expectData(await mia.call('auth.signIn', member))).toEqual({
        state: 'setup_required',
      });
      expectError(await mia.call('audit.query', {}), 'TWO_FACTOR_SETUP_REQUIRED');

      target.clock.advance(30_000);
      const again = target.newCaller();
      expect(
        expectData(
          await again.call('auth.signIn', { email: ADMIN.adminEmail, password: ADMIN.password }),
        ),
      ).toEqual({
        state: 'second_factor_required',
      });
      expectError(await again.call('audit.query', {}), 'UNAUTHENTICATED');
      for (let i = 0; i < 4; i++)
        expectError(await again.call('auth.verify', { code: '000000' }), 'INVALID_CODE');
      expectError(await again.call('auth.verify', { code: '000000' }), 'LOCKED_OUT');
      target.clock.advance(60_000);
      const verified = await again.call('auth.verify', {
        code: totpFor(setup.secret, target.clock.now()),
      });
      expect(expectData(verified)).toEqual({ state: 'signed_in' });
      expect(
        expectData<{ events: unknown[] }>(await again.call('audit.query', { limit: 5 })).events,
      ).toHaveLength(5);
    });

    it('records sign-in, failure and sign-out in the audit trail with the caller’s address', async () => {
      await createOrg();
      const caller = target.newCaller();
      await caller.call('auth.signIn', { email: ADMIN.adminEmail, password: 'wrong password!' });
      await caller.call('auth.signIn', { email: ADMIN.adminEmail, password: ADMIN.password });
      await caller.call('auth.signOut');
      const rows = await target.app.db
        .selectFrom('audit_events')
        .selectAll()
        .orderBy('id')
        .execute();
      expect(rows.map((r) => r.type)).toEqual([
        'com.alaigned.organization.created',
        'com.alaigned.user.created',
        'com.alaigned.auth.signin.failed',
        'com.alaigned.auth.signin.success',
        'com.alaigned.auth.signout',
      ]);
      for (const row of rows) {
        expect(row.email).toBe(ADMIN.adminEmail);
        expect(row.ip).toMatch(/^(203\.0\.113\.7|127\.0\.0\.1)$/);
        expect(row.user_agent).not.toBe('');
      }
      expect(JSON.parse(rows[2]!.details)).toEqual({
        reason: 'wrong_password',
        purpose: 'sign_in',
        consecutiveFailures: 1,
      });
    });
  });
}
