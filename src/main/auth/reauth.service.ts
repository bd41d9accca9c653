import type { ReauthStatus } from '../../shared/contract';
import type { SessionUser } from '../../shared/domain';
import type { Clock } from '../clock';
import { DomainError } from '../domain-error';
import type { Db } from '../store/schema';
import { findSession, markReauthenticated } from '../store/sessions.store';
import { writeTransaction } from '../store/transaction';
import { hashSessionToken } from './auth.service';
import type { ClientInfo } from '../client-info';
import type { PasswordChecker } from './password-checker';
import type { SecondFactorVerifier } from '../two-factor/second-factor-verifier';
import { isSecondFactorActive, loadUserTwoFactorContext } from '../two-factor/two-factor-policy';

/** How long a proof of identity covers sensitive actions. */
export const REAUTH_WINDOW_MS = 5 * 60 * 1000;

/** What the caller offers as proof: a current code when their 2FA is on, else their password. */
export interface Proof {
  code?: string;
  password?: string;
}

export interface ReauthService {
  status(sessionToken: string, user: SessionUser): Promise<ReauthStatus>;
  /**
   * Lets a sensitive action through if the session proved itself in the last five minutes, or
   * checks the proof given now (and opens a new window); otherwise INVALID_INPUT naming the field.
   * A code is spent like any other: one step is never accepted twice.
   */
  ensureRecent(
    sessionToken: string,
    user: SessionUser,
    proof: Proof,
    client: ClientInfo,
    options?: { fresh?: boolean },
  ): Promise<void>;
}

export function createReauthService(deps: {
  db: Db;
  clock: Clock;
  passwords: PasswordChecker;
  verifier: SecondFactorVerifier;
}): ReauthService {
  const { db, clock, passwords, verifier } = deps;

  async function method(user: SessionUser): Promise<'code' | 'password'> {
    return isSecondFactorActive(await loadUserTwoFactorContext(db, user.id)) ? 'code' : 'password';
  }

  async function windowEnd(tokenHash: string): Promise<number | null> {
    const session = await findSession(db, tokenHash);
    return session?.reauthenticated_at
      ? Number(session.reauthenticated_at) + REAUTH_WINDOW_MS
      : null;
  }

  return {
    async status(sessionToken, user) {
      const end = await windowEnd(hashSessionToken(sessionToken));
      return {
        until: end !== null && end > clock.now() ? new Date(end).toISOString() : null,
        method: await method(user),
      };
    },

    async ensureRecent(sessionToken, user, proof, client, options = {}) {
      const tokenHash = hashSessionToken(sessionToken);
      const needed = await method(user);
      if (needed === 'code' && proof.code) {
        await verifier.verify({
          user,
          code: proof.code,
          client,
          purpose: 'reauthenticate',
          configuration: 'active',
          onSuccess: (trx) => markReauthenticated(trx, tokenHash, clock.now()),
        });
        return;
      }
      if (needed === 'password' && proof.password) {
        await passwords.check(user.email, proof.password, client, 'reauthenticate');
        await writeTransaction(db, (trx) => markReauthenticated(trx, tokenHash, clock.now()));
        return;
      }
      const end = await windowEnd(tokenHash);
      if (!options.fresh && end !== null && end > clock.now()) return;
      throw new DomainError(
        'INVALID_INPUT',
        needed === 'code'
          ? 'code: Confirm it is you: enter a current code from your authenticator app (or a backup code).'
          : 'password: Confirm it is you: enter your password.',
        undefined,
        { kind: 'proof_needed', method: needed },
      );
    },
  };
}
