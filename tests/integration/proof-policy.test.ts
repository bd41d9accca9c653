import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callNames, contract } from '../../src/shared/contract';
import { REAUTH_WINDOW_MS } from '../../src/main/auth/reauth.service';
import { auditRows, fails, ok, orgWithAdmin, type Caller } from '../support/console-driver';
import { engineName } from '../support/engine';
import { ADMIN, createTempApp, type TempApp } from '../support/temp-app';

/**
 * Derived from the contract, not listed by hand: every call that declares a proof level is
 * refused without a proof, whatever else its input holds, so a new sensitive call cannot skip it.
 */
const provenCalls = callNames.filter((name) => contract[name].proof !== 'none');
const freshCalls = provenCalls.filter((name) => contract[name].proof === 'fresh');

describe(`proof policy from the contract (${engineName})`, () => {
  // One console for the whole table: every refused call must leave it as it was.
  let temp: TempApp;
  let admin: Caller;
  beforeAll(async () => {
    temp = await createTempApp();
    admin = await orgWithAdmin(temp);
  });
  afterAll(() => temp.close());
  const signInAgain = async () => {
    ok(await admin.call('auth.signIn', { email: ADMIN.adminEmail, password: ADMIN.password }));
  };

  it('knows the sensitive calls (the list is the contract’s, checked here against the guide)', () => {
    expect(provenCalls).toEqual(
      expect.arrayContaining([
        'org.updateSettings',
        'users.add',
        'users.import',
        'users.setRole',
        'users.deactivate',
        'users.resetTwoFactor',
        'users.unlock',
        'rollout.announce',
        'audit.updatePatternSettings',
      ]),
    );
    expect(freshCalls.sort()).toEqual(['users.resetTwoFactor', 'users.unlock']);
  });

  it.each(provenCalls)(
    '%s is refused without a proof once the sign-in proof is old',
    async (name) => {
      await signInAgain();
      temp.clock.advance(REAUTH_WINDOW_MS + 1000);
      const before = (await auditRows(temp.app)).length;
      // The input is otherwise empty: the proof is asked for before the input is read.
      const refused = fails(await admin.call(name, {}), 'INVALID_INPUT');
      expect(refused.details).toEqual({ kind: 'proof_needed', method: 'password' });
      expect((await auditRows(temp.app)).length).toBe(before);
    },
  );

  it.each(freshCalls)(
    '%s needs a proof given with the call, even right after signing in',
    async (name) => {
      const refused = fails(await admin.call(name, { userId: 'nobody' }), 'INVALID_INPUT');
      expect(refused.details).toEqual({ kind: 'proof_needed', method: 'password' });
      // With the proof, the call goes on to its own checks (here: no such user).
      fails(
        await admin.call(name, { userId: 'nobody', currentPassword: ADMIN.password }),
        'NOT_FOUND',
      );
    },
  );

  it('a wrong password as proof is refused on its field and counted, like a wrong sign-in', async () => {
    await signInAgain();
    temp.clock.advance(REAUTH_WINDOW_MS + 1000);
    const refused = fails(
      await admin.call('users.setRole', { userId: 'x', role: 'member', currentPassword: 'wrong' }),
      'INVALID_INPUT',
    );
    expect(refused.details).toEqual({
      kind: 'fields',
      fields: { currentPassword: 'Current password is not correct.' },
    });
    const failures = await auditRows(temp.app, 'com.alaigned.auth.signin.failed');
    expect(failures.at(-1)?.details).toMatchObject({ reason: 'wrong_password' });
  });
});
