import type { Clock } from '../clock';
import { DomainError } from '../domain-error';
import type { Db, UserRow } from '../store/schema';
import { deleteThrottle, findThrottle, saveThrottle } from '../store/throttle.store';
import { writeTransaction } from '../store/transaction';
import { findUserByEmail, findUserById, updatePasswordHash } from '../store/users.store';
import type { AuditService } from '../audit/audit.service';
import type { ClientInfo } from '../client-info';
import { createKeyedSerializer } from './keyed-serializer';
import { hashPassword, passwordDecoyHash, verifyPassword } from './passwords';
import { lockedError } from '../two-factor/second-factor-verifier';
import { recordFailure, throttleState } from './throttle';

export type PasswordPurpose = 'sign_in' | 'change_password' | 'reauthenticate';

export const WRONG_CREDENTIALS = 'Email or password is incorrect.';

export function passwordThrottleSubject(email: string): string {
  return `password:${email}`;
}

export interface PasswordChecker {
  /**
   * The active user with this e-mail and password, or a failure: UNAUTHENTICATED (one message for
   * unknown e-mail, wrong password and deactivated account) or LOCKED_OUT. Every failure is
   * audited and counted against the e-mail, whether or not an account has it.
   */
  check(
    email: string,
    password: string,
    client: ClientInfo,
    purpose: PasswordPurpose,
  ): Promise<UserRow>;
}

/**
 * An attempt let through to the hash: counted as a failure up front, in the same write
 * transaction that read the lock state, so parallel attempts cannot all see "not locked".
 */
interface Admission {
  /** The failure counters as this attempt left them. */
  charged: ReturnType<typeof recordFailure>;
}

export function createPasswordChecker(deps: {
  db: Db;
  clock: Clock;
  audit: AuditService;
}): PasswordChecker {
  const { db, clock, audit } = deps;
  // Attempts for one e-mail in this console go one at a time, so a user's own parallel correct
  // sign-ins never count against each other; across consoles the admission count still holds.
  const oneAtATime = createKeyedSerializer();

  /**
   * Decides, on the throttle state read inside the write transaction, whether this attempt may
   * be checked at all. So at most the lockout threshold of attempts ever reach the slow hash
   * before the lock, however many arrive at once; a locked e-mail is refused without hashing
   * (the answer says "locked" anyway, so its timing tells nothing more).
   */
  function admit(email: string, client: ClientInfo, purpose: PasswordPurpose) {
    const subject = passwordThrottleSubject(email);
    return writeTransaction(db, async (trx): Promise<Admission | DomainError> => {
      const now = clock.now();
      const row = await findThrottle(trx, subject);
      const state = throttleState(row, now);
      if (state.locked) {
        const user = await findUserByEmail(trx, email);
        await audit.append(trx, {
          userId: user?.id ?? null,
          email,
          client,
          type: 'com.alaigned.auth.signin.failed',
          details: { reason: 'locked', purpose },
        });
        return lockedError(state.retryAfterMs);
      }
      const charged = recordFailure(subject, row, now);
      await saveThrottle(trx, charged.row);
      return { charged };
    });
  }

  async function checkNow(
    email: string,
    password: string,
    client: ClientInfo,
    purpose: PasswordPurpose,
  ): Promise<UserRow> {
    const subject = passwordThrottleSubject(email);
    const admission = await admit(email, client, purpose);
    if (admission instanceof DomainError) throw admission;
    const { charged } = admission;

    const user = await findUserByEmail(db, email);
    // Hashed for unknown e-mails too (against a decoy), so timing tells nothing.
    const verdict = await verifyPassword(password, user?.password_hash ?? passwordDecoyHash());
    const rehashed = verdict.ok && verdict.needsRehash ? await hashPassword(password) : null;

    const outcome = await writeTransaction(db, async (trx): Promise<UserRow | DomainError> => {
      const now = clock.now();
      const base = { userId: user?.id ?? null, email, client };
      // The account as it is now: deactivated or given a new password meanwhile, it fails.
      const current = user ? await findUserById(trx, user.id) : undefined;
      const passwordOk = verdict.ok && current?.password_hash === user?.password_hash;
      if (passwordOk && current?.status === 'active') {
        const row = await findThrottle(trx, subject);
        // Locked by another attempt that was counted after this one: refused like any attempt
        // while locked. A lock this attempt's own count set is the sequential threshold case,
        // where the last allowed guess is still judged on its merits.
        const lockedBySelf =
          (charged.lockMs > 0 || charged.needsAdmin) &&
          row?.consecutive_failures === charged.row.consecutive_failures;
        if (throttleState(row, now).locked && !lockedBySelf) {
          await audit.append(trx, {
            ...base,
            type: 'com.alaigned.auth.signin.failed',
            details: { reason: 'locked', purpose },
          });
          return lockedError(throttleState(row, now).retryAfterMs);
        }
        await deleteThrottle(trx, subject);
        if (rehashed) await updatePasswordHash(trx, current.id, rehashed);
        return current;
      }
      const reason = !user ? 'unknown_email' : !passwordOk ? 'wrong_password' : 'deactivated';
      await audit.append(trx, {
        ...base,
        type: 'com.alaigned.auth.signin.failed',
        details: { reason, purpose, consecutiveFailures: charged.row.consecutive_failures },
      });
      if (charged.lockMs > 0 || charged.needsAdmin) {
        await audit.append(trx, {
          ...base,
          type: 'com.alaigned.auth.signin.locked',
          details: {
            consecutiveFailures: charged.row.consecutive_failures,
            lockSeconds: charged.needsAdmin ? null : charged.lockMs / 1000,
            needsAdmin: charged.needsAdmin,
          },
        });
        return lockedError(charged.needsAdmin ? Infinity : charged.lockMs);
      }
      if (purpose === 'sign_in') return new DomainError('UNAUTHENTICATED', WRONG_CREDENTIALS);
      const wrong = 'Current password is not correct.';
      return new DomainError('INVALID_INPUT', wrong, undefined, {
        kind: 'fields',
        fields: { currentPassword: wrong },
      });
    });
    if (outcome instanceof DomainError) throw outcome;
    return outcome;
  }

  return {
    check: (email, password, client, purpose) =>
      oneAtATime(passwordThrottleSubject(email), () => checkNow(email, password, client, purpose)),
  };
}
