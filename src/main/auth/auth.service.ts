import { createHash, randomBytes } from 'node:crypto';
import type { SessionState, SessionUser } from '../../shared/domain';
import type { Clock } from '../clock';
import { DomainError } from '../domain-error';
import type { Db, UserRow } from '../store/schema';
import {
  completeSecondFactor,
  deleteExpiredSessions,
  deleteSession,
  findSession,
  insertSession,
  touchSession,
} from '../store/sessions.store';
import { writeTransaction } from '../store/transaction';
import { findUserById } from '../store/users.store';
import type { AuditService } from '../audit/audit.service';
import type { ClientInfo } from '../client-info';
import type { PasswordChecker } from './password-checker';
import type { SecondFactorVerifier } from '../two-factor/second-factor-verifier';
import {
  isSecondFactorActive,
  isSetupRequired,
  loadUserTwoFactorContext,
} from '../two-factor/two-factor-policy';

export const SESSION_IDLE_MS = 15 * 60 * 1000;
export const SESSION_ABSOLUTE_MS = 12 * 60 * 60 * 1000;
/** last_seen_at is rewritten at most this often, so reads do not each cost a write. */
const TOUCH_INTERVAL_MS = 30 * 1000;

export interface ResolvedSession {
  state: SessionState;
  user: SessionUser | null;
}

export const signedOut: ResolvedSession = { state: 'signed_out', user: null };

export interface AuthService {
  /**
   * The state of the session behind `token`, derived afresh on every call from the session, the
   * user and the org's 2FA settings, so a change by an admin applies at once.
   */
  resolve(token: string | null): Promise<ResolvedSession>;
  /** Checks the password and opens a session; the returned token is the caller's to keep. */
  signIn(
    input: { email: string; password: string },
    client: ClientInfo,
  ): Promise<{ token: string; state: SessionState }>;
  /** Second step of sign-in: a TOTP or backup code completes the session. */
  verifySecondFactor(token: string, code: string, client: ClientInfo): Promise<SessionState>;
  signOut(token: string | null, client: ClientInfo): Promise<void>;
}

export function hashSessionToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function toSessionUser(user: UserRow): SessionUser {
  return { id: user.id, email: user.email, name: user.name, role: user.role };
}

export function createAuthService(deps: {
  db: Db;
  clock: Clock;
  audit: AuditService;
  passwords: PasswordChecker;
  verifier: SecondFactorVerifier;
}): AuthService {
  const { db, clock, audit, passwords, verifier } = deps;

  async function stateFor(
    user: UserRow,
    secondFactorPending: boolean,
  ): Promise<SessionState | null> {
    const ctx = await loadUserTwoFactorContext(db, user.id);
    if (secondFactorPending) {
      // Owed a code, but 2FA went inactive meanwhile (org switched it off, admin reset): the
      // half-open session is void; signing in again asks only what is due now.
      return isSecondFactorActive(ctx) ? 'second_factor_required' : null;
    }
    return isSetupRequired(ctx, user.role) ? 'setup_required' : 'signed_in';
  }

  const service: AuthService = {
    async resolve(token) {
      if (!token) return signedOut;
      const tokenHash = hashSessionToken(token);
      const session = await findSession(db, tokenHash);
      if (!session) return signedOut;
      const now = clock.now();
      const expired =
        now - session.last_seen_at > SESSION_IDLE_MS ||
        now - session.created_at > SESSION_ABSOLUTE_MS;
      const user = expired ? undefined : await findUserById(db, session.user_id);
      const state =
        user && user.status === 'active'
          ? await stateFor(user, Boolean(session.second_factor_pending))
          : null;
      if (!user || !state) {
        await deleteSession(db, tokenHash);
        return signedOut;
      }
      if (now - session.last_seen_at > TOUCH_INTERVAL_MS) await touchSession(db, tokenHash, now);
      return { state, user: toSessionUser(user) };
    },

    async signIn(input, client) {
      const user = await passwords.check(input.email, input.password, client, 'sign_in');
      const ctx = await loadUserTwoFactorContext(db, user.id);
      const pending = isSecondFactorActive(ctx);
      const token = randomBytes(32).toString('base64url');
      const now = clock.now();
      await writeTransaction(db, async (trx) => {
        await deleteExpiredSessions(trx, now - SESSION_IDLE_MS, now - SESSION_ABSOLUTE_MS);
        await insertSession(trx, {
          token_hash: hashSessionToken(token),
          user_id: user.id,
          second_factor_pending: pending ? 1 : 0,
          // A completed sign-in is a fresh proof of identity; a half one is not.
          reauthenticated_at: pending ? null : now,
          created_at: now,
          last_seen_at: now,
          ip: client.ip,
          user_agent: client.userAgent,
        });
        await audit.append(trx, {
          type: 'com.alaigned.auth.signin.success',
          userId: user.id,
          email: user.email,
          client,
          details: { secondFactorRequired: pending },
        });
      });
      const state = pending
        ? 'second_factor_required'
        : isSetupRequired(ctx, user.role)
          ? 'setup_required'
          : 'signed_in';
      return { token, state };
    },

    async verifySecondFactor(token, code, client) {
      const tokenHash = hashSessionToken(token);
      const caller = await service.resolve(token);
      if (caller.state !== 'second_factor_required' || !caller.user) {
        throw new DomainError('CONFLICT', 'No second factor is pending for this session.');
      }
      await verifier.verify({
        user: caller.user,
        code,
        client,
        purpose: 'sign_in',
        configuration: 'active',
        onSuccess: (trx) => completeSecondFactor(trx, tokenHash, clock.now()),
      });
      return (await service.resolve(token)).state;
    },

    async signOut(token, client) {
      if (!token) return;
      const tokenHash = hashSessionToken(token);
      await writeTransaction(db, async (trx) => {
        const session = await findSession(trx, tokenHash);
        if (!session) return;
        await deleteSession(trx, tokenHash);
        const user = await findUserById(trx, session.user_id);
        await audit.append(trx, {
          type: 'com.alaigned.auth.signout',
          userId: session.user_id,
          email: user?.email ?? null,
          client,
        });
      });
    },
  };
  return service;
}
