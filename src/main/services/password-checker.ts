import type { Clock } from '../clock';
import { DomainError } from '../domain-error';
import type { Db, UserRow } from '../store/schema';
import { deleteThrottle, findThrottle, saveThrottle } from '../store/throttle.store';
import { writeTransaction } from '../store/transaction';
import { findUserByEmail } from '../store/users.store';
import type { AuditService } from './audit.service';
import type { ClientInfo } from './client-info';
import { passwordDecoyHash, verifyPassword } from './passwords';
import { lockedError } from './second-factor-verifier';
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

export function createPasswordChecker(deps: {
  db: Db;
  clock: Clock;
  audit: AuditService;
}): PasswordChecker {
  const { db, clock, audit } = deps;
  return {
    async check(email, password, client, purpose) {
      const subject = passwordThrottleSubject(email);
      const user = await findUserByEmail(db, email);
      const state = throttleState(await findThrottle(db, subject), clock.now());
      // Hash even when locked or unknown, so timing tells nothing.
      const passwordOk = await verifyPassword(
        password,
        user?.password_hash ?? (await passwordDecoyHash()),
      );
      const accepted = passwordOk && user?.status === 'active' && !state.locked;

      const outcome = await writeTransaction(db, async (trx) => {
        const now = clock.now();
        const base = { userId: user?.id ?? null, email, client };
        if (accepted) {
          await deleteThrottle(trx, subject);
          return null;
        }
        if (state.locked) {
          await audit.append(trx, {
            ...base,
            type: 'com.alaigned.auth.signin.failed',
            details: { reason: 'locked', purpose },
          });
          return lockedError(state.retryAfterMs);
        }
        const reason = !user ? 'unknown_email' : !passwordOk ? 'wrong_password' : 'deactivated';
        const next = recordFailure(subject, await findThrottle(trx, subject), now);
        await saveThrottle(trx, next.row);
        await audit.append(trx, {
          ...base,
          type: 'com.alaigned.auth.signin.failed',
          details: { reason, purpose, consecutiveFailures: next.row.consecutive_failures },
        });
        if (next.lockMs > 0 || next.needsAdmin) {
          await audit.append(trx, {
            ...base,
            type: 'com.alaigned.auth.signin.locked',
            details: {
              consecutiveFailures: next.row.consecutive_failures,
              lockSeconds: next.needsAdmin ? null : next.lockMs / 1000,
              needsAdmin: next.needsAdmin,
            },
          });
          return lockedError(next.needsAdmin ? Infinity : next.lockMs);
        }
        return new DomainError(
          purpose === 'sign_in' ? 'UNAUTHENTICATED' : 'INVALID_INPUT',
          purpose === 'sign_in' ? WRONG_CREDENTIALS : 'Current password is not correct.',
        );
      });
      if (outcome) throw outcome;
      return user!;
    },
  };
}
