import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deriveKeys } from '../../src/main/keys/derived-keys';
import { loadOrCreateKeyFile } from '../../src/main/keys/key-file';
import { createSecretBox, type SecretBox } from '../../src/main/keys/secret-box';
import { throttleSubject } from '../../src/main/two-factor/second-factor-verifier';
import { deleteThrottle } from '../../src/main/store/throttle.store';
import { deleteTwoFactor, findTwoFactor } from '../../src/main/store/two-factor.store';
import type { Envelope } from '../../src/shared/envelope';
import { addMember, enroll, ok, orgWithAdmin, signIn } from '../support/console-driver';
import type { TempApp } from '../support/temp-app';
import { createTempApp } from '../support/temp-app';

const STEP_MS = 30_000;

/** RFC 6238 / RFC 4226 written out here, so the app's own TOTP code is not its own judge. */
function rfcTotp(secret: Uint8Array, step: number): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', secret).update(counter).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 1_000_000).padStart(6, '0');
}

/** Seals `secret` as the app does, so the stored configuration holds it (like a real enrollment). */
async function installSecret(temp: TempApp, box: SecretBox, userId: string, secret: Uint8Array) {
  await temp.app.db
    .updateTable('two_factor')
    .set({ secret_ciphertext: box.seal(Buffer.from(secret), userId) })
    .where('user_id', '=', userId)
    .execute();
}

/**
 * Lockouts are their own feature: cleared before each attempt so every attempt here is judged on
 * its code alone (a lockout would refuse a good code and hide what this checks).
 */
function clearLockout(temp: TempApp, userId: string) {
  return deleteThrottle(temp.app.db, throttleSubject(userId));
}

const secret = fc.uint8Array({ minLength: 20, maxLength: 20 });
/** Steps to move on by, and where in the 30-second step "now" falls (boundaries included). */
const timeOffset = fc.record({
  steps: fc.integer({ min: 0, max: 4 }),
  msIntoStep: fc.oneof(fc.integer({ min: 0, max: STEP_MS - 1 }), fc.constantFrom(0, STEP_MS - 1)),
});
/** Which step each attempted code comes from, relative to now: near, farther, far. */
const codeOffsets = fc.array(
  fc.oneof(
    { weight: 5, arbitrary: fc.integer({ min: -2, max: 2 }) },
    { weight: 2, arbitrary: fc.integer({ min: -12, max: 12 }) },
    { weight: 1, arbitrary: fc.integer({ min: -100_000, max: 100_000 }) },
  ),
  { minLength: 1, maxLength: 6 },
);

/** Moves the clock on (never back) to `msIntoStep` of a step `steps` after the current one. */
function moveClock(temp: TempApp, offset: { steps: number; msIntoStep: number }): number {
  const now = temp.clock.now();
  const target = (Math.floor(now / STEP_MS) + offset.steps) * STEP_MS + offset.msIntoStep;
  temp.clock.set(Math.max(now, target));
  return Math.floor(temp.clock.now() / STEP_MS);
}

/** Codes that coincide between two steps (1 in a million per pair) make acceptance ambiguous. */
function codesAreDistinct(key: Uint8Array, steps: number[]): boolean {
  const unique = [...new Set(steps)];
  return new Set(unique.map((step) => rfcTotp(key, step))).size === unique.length;
}

/**
 * Starts a run: moves the clock, and skips the run when two codes it can send coincide. The
 * current step is its answer.
 */
function startRun(
  temp: TempApp,
  key: Uint8Array,
  offset: { steps: number; msIntoStep: number },
  offsets: number[],
): number {
  const nowStep = moveClock(temp, offset);
  fc.pre(
    codesAreDistinct(key, [nowStep - 1, nowStep, nowStep + 1, ...offsets.map((k) => nowStep + k)]),
  );
  return nowStep;
}

function accepted(envelope: Envelope<unknown>): boolean {
  if (envelope.ok) return true;
  // With lockouts cleared, a refused code is always INVALID_CODE: never a crash or a lock.
  expect(envelope.error.code, envelope.error.message).toBe('INVALID_CODE');
  return false;
}

describe('TOTP verification through the router', () => {
  let temp: TempApp;
  let box: SecretBox;
  const MEMBER = { email: 'totp.member@acme.test', password: 'member password 1' };
  const ENROLLEE = { email: 'totp.enrollee@acme.test', password: 'enrollee password 1' };
  let memberId: string;
  let enrolleeId: string;

  async function userIdOf(email: string): Promise<string> {
    const row = await temp.app.db
      .selectFrom('users')
      .select('id')
      .where('email', '=', email)
      .executeTakeFirstOrThrow();
    return row.id;
  }

  beforeAll(async () => {
    temp = await createTempApp();
    box = createSecretBox(deriveKeys(loadOrCreateKeyFile(temp.app.keys.location)).secretEncryption);
    const admin = await orgWithAdmin(temp);
    ok(await admin.call('org.updateSettings', { enabled: true, required: false }));
    await addMember(temp, MEMBER.email, MEMBER.password);
    await addMember(temp, ENROLLEE.email, ENROLLEE.password);
    memberId = await userIdOf(MEMBER.email);
    await enroll(temp, await signIn(temp, ...creds(MEMBER)));
    enrolleeId = await userIdOf(ENROLLEE.email);
  });
  afterAll(() => temp.close());

  function creds(account: { email: string; password: string }): [string, string] {
    return [account.email, account.password];
  }

  it('sign-in accepts a code only from steps -1, 0, +1, each step once, and never a replay', async () => {
    await fc.assert(
      fc.asyncProperty(secret, timeOffset, codeOffsets, async (key, offset, offsets) => {
        const nowStep = startRun(temp, key, offset, offsets);
        await installSecret(temp, box, memberId, key);
        // Read, not remembered: a run that failed midway must not skew the next one's model.
        let lastUsedStep = (await findTwoFactor(temp.app.db, memberId))!.last_used_step;

        // One password sign-in per run; once it is complete, codes go to another call that
        // judges them the same way (regenerating backup codes), so no attempt needs a new one.
        const session = await signIn(temp, ...creds(MEMBER));
        expect(ok<{ state: string }>(await session.call('auth.session')).state).toBe(
          'second_factor_required',
        );
        let signedIn = false;
        const attempt = async (code: string) => {
          await clearLockout(temp, memberId);
          const envelope = signedIn
            ? await session.call('twoFactor.regenerateBackupCodes', { code })
            : await session.call('auth.verify', { code });
          return accepted(envelope);
        };

        for (const k of offsets) {
          const step = nowStep + k;
          const code = rfcTotp(key, step);
          const acceptable = Math.abs(k) <= 1 && step > lastUsedStep;
          expect(await attempt(code), `code of step now${k >= 0 ? '+' : ''}${k}`).toBe(acceptable);
          if (!acceptable) continue;
          signedIn = true;
          lastUsedStep = step;
          // The same code, straight away: refused.
          expect(await attempt(code), 'replayed code').toBe(false);
        }
      }),
      { numRuns: 30 },
    );
  });

  it('enrollment confirms with a code only from steps -1, 0, +1, and that code is spent', async () => {
    // Signed in here: the clock moves on by up to two minutes a run, well inside the idle limit.
    const enrollee = await signIn(temp, ...creds(ENROLLEE));
    await fc.assert(
      fc.asyncProperty(secret, timeOffset, codeOffsets, async (key, offset, offsets) => {
        const nowStep = startRun(temp, key, offset, offsets);
        // Start over as a user with no 2FA (an admin reset leaves the same state).
        await deleteTwoFactor(temp.app.db, enrolleeId);
        ok(await enrollee.call('twoFactor.beginSetup'));
        await installSecret(temp, box, enrolleeId, key);

        for (const k of offsets) {
          const code = rfcTotp(key, nowStep + k);
          await clearLockout(temp, enrolleeId);
          const confirmed = accepted(await enrollee.call('twoFactor.confirmSetup', { code }));
          expect(confirmed, `code of step now${k >= 0 ? '+' : ''}${k}`).toBe(Math.abs(k) <= 1);
          if (!confirmed) continue;
          // Enrolled now: the code that confirmed it opens nothing more.
          await clearLockout(temp, enrolleeId);
          const replay = await enrollee.call('twoFactor.regenerateBackupCodes', { code });
          expect(accepted(replay), 'replayed enrollment code').toBe(false);
          break;
        }
      }),
      { numRuns: 60 },
    );
  });

  it('agrees with RFC 6238 test vectors (the oracle itself)', () => {
    const rfcSecret = Buffer.from('12345678901234567890');
    // RFC 6238 appendix B, SHA-1, last six of the eight digits.
    expect(rfcTotp(rfcSecret, Math.floor(59 / 30))).toBe('287082');
    expect(rfcTotp(rfcSecret, Math.floor(1111111109 / 30))).toBe('081804');
    expect(rfcTotp(rfcSecret, Math.floor(2000000000 / 30))).toBe('279037');
  });
});
