import type * as NodeCrypto from 'node:crypto';
import { randomBytes, type scrypt as scryptType } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { App } from '../../src/main/app';
import { hashSessionToken } from '../../src/main/auth/auth.service';
import { FAILURES_BEFORE_LOCK } from '../../src/main/auth/throttle';
import type { Envelope } from '../../src/shared/envelope';
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
import { insertSession } from '../../src/main/store/sessions.store';
import { findUserByEmail } from '../../src/main/store/users.store';
import { engineName } from '../support/engine';
import { ADMIN, createTempApp, type TempApp } from '../support/temp-app';
import { legacyCheapHash } from '../support/legacy-password-hash';

/** Every scrypt run in this process, with its cost: the "hash" stage of a password check. */
const kdf = vi.hoisted(() => ({ calls: [] as Array<{ N: number }> }));
vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof NodeCrypto>();
  const counted = ((...args: Parameters<typeof scryptType>) => {
    const options = args.length === 5 ? (args[3] as { N?: number }) : {};
    kdf.calls.push({ N: options.N ?? 16384 });
    return (actual.scrypt as (...a: unknown[]) => void)(...args);
  }) as typeof scryptType;
  return { ...actual, default: { ...actual, scrypt: counted }, scrypt: counted };
});

const VICTIM = { email: 'victim@acme.test', password: 'the victim passphrase' };
const PARALLEL = 200;

type Answer = 'ok' | string;
const answerOf = (envelope: Envelope<unknown>): Answer =>
  envelope.ok ? 'ok' : envelope.error.code;
const tally = (answers: Answer[]) =>
  answers.reduce<Record<string, number>>((t, a) => ({ ...t, [a]: (t[a] ?? 0) + 1 }), {});

/** The password failures the trail holds for one e-mail, by reason. */
async function failureReasons(app: App, email: string) {
  const rows = await auditRows(app, 'com.alaigned.auth.signin.failed');
  return tally(rows.filter((r) => r.email === email).map((r) => String(r.details.reason)));
}

describe(`parallel password guesses cannot pass the lockout (${engineName})`, () => {
  let temp: TempApp;
  beforeEach(async () => {
    temp = await createTempApp();
    await orgWithAdmin(temp);
    await addMember(temp, VICTIM.email, VICTIM.password);
  });
  afterEach(() => temp.close());

  /** 199 wrong guesses and the right password last, all sent at once. */
  async function burst(): Promise<Answer[]> {
    kdf.calls.length = 0;
    const attempts = Array.from({ length: PARALLEL }, (_, i) => ({
      email: VICTIM.email,
      password: i === PARALLEL - 1 ? VICTIM.password : `wrong guess ${i}`,
    }));
    const envelopes = await Promise.all(
      attempts.map((input) => caller(temp.app).call('auth.signIn', input)),
    );
    return envelopes.map(answerOf);
  }

  it(`${PARALLEL} sign-ins at once: at most ${FAILURES_BEFORE_LOCK} guesses are hashed, and the callers were told what the trail says`, async () => {
    const answers = await burst();
    const told = tally(answers);
    const hashed = kdf.calls.length;
    const reasons = await failureReasons(temp.app, VICTIM.email);
    const successes = (await auditRows(temp.app, 'com.alaigned.auth.signin.success')).filter(
      (r) => r.email === VICTIM.email,
    ).length;

    // Only the admitted attempts reach the hash; the right password counts as one of them.
    expect(hashed).toBeLessThanOrEqual(FAILURES_BEFORE_LOCK);
    expect(reasons.wrong_password ?? 0).toBeLessThanOrEqual(FAILURES_BEFORE_LOCK);
    expect((reasons.wrong_password ?? 0) + (told.ok ?? 0)).toBe(hashed);
    // Every answer is in the trail, as what it was: a success, a counted guess, or "locked".
    expect(told.ok ?? 0).toBe(successes);
    expect(told.UNAUTHENTICATED ?? 0).toBe(Math.min(reasons.wrong_password ?? 0, 4));
    const locks = (await auditRows(temp.app, 'com.alaigned.auth.signin.locked')).length;
    expect(told.LOCKED_OUT).toBe((reasons.locked ?? 0) + locks);
    expect(Object.values(told).reduce((a, b) => a + b, 0)).toBe(PARALLEL);
    // The right password sent last met a lock, unless it was one of the few admitted.
    if (answers.at(-1) === 'ok') expect(hashed).toBeLessThanOrEqual(FAILURES_BEFORE_LOCK);
    else expect(answers.at(-1)).toBe('LOCKED_OUT');

    // And while the lock lasts, the right password is refused.
    fails(await caller(temp.app).call('auth.signIn', VICTIM), 'LOCKED_OUT');
  });

  it('a locked account refuses the right password however many ask at once, hashing none', async () => {
    for (let i = 0; i < FAILURES_BEFORE_LOCK; i++)
      await caller(temp.app).call('auth.signIn', { email: VICTIM.email, password: `no ${i}` });
    kdf.calls.length = 0;
    const answers = await Promise.all(
      Array.from({ length: PARALLEL }, (_, i) =>
        caller(temp.app).call('auth.signIn', i % 10 === 0 ? VICTIM : { ...VICTIM, password: 'x' }),
      ),
    );
    expect(tally(answers.map(answerOf))).toEqual({ LOCKED_OUT: PARALLEL });
    expect(kdf.calls).toEqual([]);
    expect((await failureReasons(temp.app, VICTIM.email)).locked).toBe(PARALLEL);
  });

  it('with 2FA required and the victim not enrolled, a burst of guesses never reaches setup', async () => {
    const admin = await signIn(temp, ADMIN.adminEmail, ADMIN.password);
    ok(await admin.call('org.updateSettings', { enabled: true, required: false }));
    await enroll(temp, admin);
    temp.clock.advance(30_000);
    ok(await admin.call('org.updateSettings', { enabled: true, required: true }));
    const envelopes = await Promise.all(
      Array.from({ length: 40 }, (_, i) => {
        const c = caller(temp.app);
        const password = i === 39 ? VICTIM.password : `guess ${i}`;
        return c
          .call('auth.signIn', { email: VICTIM.email, password })
          .then(async (answer) => ({ answer, c }));
      }),
    );
    const inSetup = envelopes.filter(
      ({ answer }) => answer.ok && (answer.data as { state: string }).state === 'setup_required',
    );
    const wrongHashed = (await failureReasons(temp.app, VICTIM.email)).wrong_password ?? 0;
    // If the right password got in at all, it was within the allowed guesses.
    expect(wrongHashed + inSetup.length).toBeLessThanOrEqual(FAILURES_BEFORE_LOCK);
    for (const { c } of envelopes.filter(({ answer }) => !answer.ok))
      fails(await c.call('twoFactor.beginSetup'), 'UNAUTHENTICATED');
  });

  it("the user's own parallel correct sign-ins all succeed and lock nothing", async () => {
    const answers = await Promise.all(
      Array.from({ length: FAILURES_BEFORE_LOCK + 3 }, () =>
        caller(temp.app).call('auth.signIn', VICTIM),
      ),
    );
    expect(tally(answers.map(answerOf))).toEqual({ ok: FAILURES_BEFORE_LOCK + 3 });
    expect(await failureReasons(temp.app, VICTIM.email)).toEqual({});
  });
});

describe(`the password proof of a sensitive action holds under parallel guesses (${engineName})`, () => {
  let temp: TempApp;
  let admin: Caller;
  beforeEach(async () => {
    temp = await createTempApp();
    admin = await orgWithAdmin(temp);
  });
  afterEach(() => temp.close());

  for (const [name, input] of [
    [
      'org.updateSettings',
      (password: string) => ({ enabled: true, required: false, currentPassword: password }),
    ],
    [
      'account.changePassword',
      (password: string) => ({ currentPassword: password, newPassword: 'a brand new passphrase' }),
    ],
  ] as const) {
    it(`${name}: ${PARALLEL} proofs at once, at most ${FAILURES_BEFORE_LOCK} checked, the right one refused once locked`, async () => {
      kdf.calls.length = 0;
      const answers = (
        await Promise.all(
          Array.from({ length: PARALLEL }, (_, i) =>
            admin.call(name, input(i === PARALLEL - 1 ? ADMIN.password : `wrong proof ${i}`)),
          ),
        )
      ).map(answerOf);
      const reasons = await failureReasons(temp.app, ADMIN.adminEmail);
      const told = tally(answers);
      const checked =
        kdf.calls.filter((c) => c.N === 1 << 15).length -
        (told.ok && name === 'account.changePassword' ? 1 : 0);
      expect(checked).toBeLessThanOrEqual(FAILURES_BEFORE_LOCK);
      expect(reasons.wrong_password ?? 0).toBeLessThanOrEqual(FAILURES_BEFORE_LOCK);
      expect(told.INVALID_INPUT ?? 0).toBe(Math.min(reasons.wrong_password ?? 0, 4));
      expect(told.LOCKED_OUT).toBeGreaterThanOrEqual(PARALLEL - FAILURES_BEFORE_LOCK);
      expect(told.LOCKED_OUT).toBe(
        (reasons.locked ?? 0) +
          (await auditRows(temp.app, 'com.alaigned.auth.signin.locked')).length,
      );
      fails(await admin.call(name, input(ADMIN.password)), 'LOCKED_OUT');
    });
  }
});

describe(`one-time codes under 50 parallel tries (${engineName})`, () => {
  let temp: TempApp;
  let secret: string;
  let backupCodes: string[];
  beforeEach(async () => {
    temp = await createTempApp();
    const admin = await orgWithAdmin(temp);
    ok(await admin.call('org.updateSettings', { enabled: true, required: false }));
    ({ secret, backupCodes } = await enroll(temp, admin));
    temp.clock.advance(30_000);
  });
  afterEach(() => temp.close());

  /**
   * `n` sessions past the password, owing the second factor, written straight into the sessions
   * table (signing in 50 times would spend the test in the password hash).
   */
  async function pendingSessions(n: number): Promise<Caller[]> {
    const user = await findUserByEmail(temp.app.db, ADMIN.adminEmail);
    const now = temp.clock.now();
    return Promise.all(
      Array.from({ length: n }, async () => {
        const c = caller(temp.app);
        c.ctx.session.token = randomBytes(32).toString('base64url');
        await insertSession(temp.app.db, {
          token_hash: hashSessionToken(c.ctx.session.token),
          user_id: user!.id,
          second_factor_pending: 1,
          reauthenticated_at: null,
          created_at: now,
          last_seen_at: now,
          ip: c.ctx.client.ip,
          user_agent: c.ctx.client.userAgent,
        });
        return c;
      }),
    );
  }

  it('one TOTP code sent 50 times at once signs in exactly once', async () => {
    const sessions = await pendingSessions(50);
    const code = totpFor(secret, temp.clock.now());
    const answers = await Promise.all(sessions.map((s) => s.call('auth.verify', { code })));
    expect(tally(answers.map(answerOf))).toEqual({
      ok: 1,
      INVALID_CODE: FAILURES_BEFORE_LOCK - 1,
      LOCKED_OUT: 50 - FAILURES_BEFORE_LOCK,
    });
  });

  it('one backup code sent 50 times at once is spent exactly once', async () => {
    const sessions = await pendingSessions(50);
    const answers = await Promise.all(
      sessions.map((s) => s.call('auth.verify', { code: backupCodes[0] })),
    );
    const told = tally(answers.map(answerOf));
    expect(told.ok).toBe(1);
    const used = await temp.app.db
      .selectFrom('backup_codes')
      .select('id')
      .where('used_at', 'is not', null)
      .execute();
    expect(used).toHaveLength(1);
  });

  it('50 wrong codes at once: exactly the threshold is judged, the rest meet the lock', async () => {
    const sessions = await pendingSessions(50);
    const answers = await Promise.all(
      sessions.map((s, i) => s.call('auth.verify', { code: String(100000 + i) })),
    );
    expect(tally(answers.map(answerOf))).toEqual({
      INVALID_CODE: FAILURES_BEFORE_LOCK - 1,
      LOCKED_OUT: 50 - FAILURES_BEFORE_LOCK + 1,
    });
    const failed = await auditRows(temp.app, 'com.alaigned.auth.2fa.verify.failed');
    expect(failed.filter((r) => r.details.reason === 'wrong_code')).toHaveLength(
      FAILURES_BEFORE_LOCK,
    );
  });
});

describe(`a password check costs the same whatever the account (${engineName})`, () => {
  let temp: TempApp;
  beforeEach(async () => {
    temp = await createTempApp();
    await orgWithAdmin(temp);
  });
  afterEach(() => temp.close());

  /** The scrypt costs one wrong sign-in for `email` ran. */
  async function costsOfOneCheck(email: string): Promise<number[]> {
    kdf.calls.length = 0;
    await caller(temp.app).call('auth.signIn', { email, password: 'not the password' });
    return kdf.calls.map((c) => c.N);
  }

  it('chosen, generated, legacy, deactivated and unknown accounts each cost one full-cost hash', async () => {
    const { users } = temp.app.services;
    const client = { ip: '127.0.0.1', userAgent: 'test' };
    await users.add(
      {
        email: 'chosen@acme.test',
        name: 'Chosen',
        role: 'member',
        password: 'a chosen passphrase',
      },
      client,
      null,
    );
    const generated = await users.add(
      { email: 'generated@acme.test', name: 'Generated', role: 'member' },
      client,
      null,
    );
    await users.add(
      { email: 'gone@acme.test', name: 'Gone', role: 'member', password: 'a chosen passphrase' },
      client,
      null,
    );
    await temp.app.db
      .updateTable('users')
      .set({ status: 'deactivated' })
      .where('email', '=', 'gone@acme.test')
      .execute();
    // An older version stored generated passwords at N = 2^10.
    const legacyPassword = 'k3q7-9xwa-m2fd-tr6b';
    await users.add(
      { email: 'legacy@acme.test', name: 'Legacy', role: 'member', password: 'placeholder pass' },
      client,
      null,
    );
    await temp.app.db
      .updateTable('users')
      .set({ password_hash: await legacyCheapHash(legacyPassword) })
      .where('email', '=', 'legacy@acme.test')
      .execute();

    const stored = await temp.app.db
      .selectFrom('users')
      .select(['email', 'password_hash'])
      .execute();
    for (const row of stored.filter((r) => r.email !== 'legacy@acme.test'))
      expect(row.password_hash, row.email).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(generated.temporaryPassword).toBeTruthy();

    const fullCost = (costs: number[]) => costs.filter((n) => n === 1 << 15).length;
    for (const email of [
      'chosen@acme.test',
      'generated@acme.test',
      'legacy@acme.test',
      'gone@acme.test',
      'nobody@acme.test',
    ]) {
      const costs = await costsOfOneCheck(email);
      expect(fullCost(costs), email).toBe(1);
      expect(
        costs.every((n) => n === 1 << 15 || n === 1 << 10),
        email,
      ).toBe(true);
    }

    // The legacy hash is replaced by a full-cost one at its next successful sign-in.
    ok(
      await caller(temp.app).call('auth.signIn', {
        email: 'legacy@acme.test',
        password: legacyPassword,
      }),
    );
    const after = await findUserByEmail(temp.app.db, 'legacy@acme.test');
    expect(after!.password_hash).toMatch(/^scrypt\$32768\$8\$1\$/);
    ok(
      await caller(temp.app).call('auth.signIn', {
        email: 'legacy@acme.test',
        password: legacyPassword,
      }),
    );
  });
});
