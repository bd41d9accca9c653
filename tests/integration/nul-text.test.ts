import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { caller, fails, ok, orgWithAdmin } from '../support/console-driver';
import { engineName } from '../support/engine';
import { ADMIN, createTempApp, type TempApp } from '../support/temp-app';

/**
 * U+0000 in any text of any call is refused by the router with the field named, on both engines
 * (PostgreSQL cannot store it; SQLite could, so the two would otherwise disagree).
 */
describe(`text with a NUL character (${engineName})`, () => {
  let temp: TempApp;
  beforeEach(async () => {
    temp = await createTempApp();
  });
  afterEach(() => temp.close());

  it('is refused before anything is written, naming the field, for anyone', async () => {
    const first = caller(temp.app);
    const refused = fails(
      await first.call('org.create', { ...ADMIN, orgName: 'Acme\u0000 Corp' }),
      'INVALID_INPUT',
    );
    expect(refused.message).toBe('orgName: must not contain a NUL character (U+0000)');
    expect(await temp.app.db.selectFrom('organization').selectAll().execute()).toEqual([]);

    const admin = await orgWithAdmin(temp);
    const users = async () =>
      (await temp.app.db.selectFrom('users').select('email').execute()).length;
    const before = await users();
    expect(
      fails(
        await admin.call('users.add', {
          email: 'mallory@acme.test',
          name: 'Mallory\u0000',
          role: 'member',
        }),
        'INVALID_INPUT',
      ).message,
    ).toBe('name: must not contain a NUL character (U+0000)');
    expect(await users()).toBe(before);

    // A NUL in a password is refused like anywhere else, and the session still works.
    const stranger = caller(temp.app);
    expect(
      fails(
        await stranger.call('auth.signIn', { email: ADMIN.adminEmail, password: 'pw\u0000' }),
        'INVALID_INPUT',
      ).message,
    ).toBe('password: must not contain a NUL character (U+0000)');
    ok(await admin.call('users.list', {}));
  });
});
