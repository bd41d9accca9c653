import { createHash, randomBytes } from 'node:crypto';
import type { SessionState, SessionUser } from '../../shared/domain';
import type { Clock } from '../clock';
import { DomainError } from '../domain-error';
import type { Db, UserRow } from '../store/schema';
import {
  deleteExpiredSessions,
  deleteSession,
  findSession,
  insertSession,
  touchSession,
} from '../store/sessions.store';
import { writeTransaction } from '../store/transaction';
import { findUserByEmail, findUserById } from '../store/users.store';
import type { AuditService } from './audit.service';
import type { ClientInfo } from './client-info';
import { passwordDecoyHash, verifyPassword } from './passwords';

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
  /** The state of the session behind `token`; expired or unknown tokens are signed out. */
  resolve(token: string | null): Promise<ResolvedSession>;
  /** Checks the password and opens a session; the returned token is the caller's to keep. */
  signIn(
    input: { email: string; password: string },
    client: ClientInfo,
  ): Promise<{ token: string; state: SessionState }>;
  signOut(token: string | null, client: ClientInfo): Promise<void>;
}

export function hashSessionToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function toSessionUser(user: UserRow): SessionUser {
  return { id: user.id, email: user.email, name: user.name, role: user.role };
}

const WRONG_CREDENTIALS = 'Email or password is incorrect.';

export function createAuthService(deps: {
  db: Db;
  clock: Clock;
  audit: AuditService;
}): AuthService {
  const { db, clock, audit } = deps;

  return {
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
      if (!user || user.status !== 'active') {
        await deleteSession(db, tokenHash);
        return signedOut;
      }
      if (now - session.last_seen_at > TOUCH_INTERVAL_MS) await touchSession(db, tokenHash, now);
      const state: SessionState = session.second_factor_pending
        ? 'second_factor_required'
        : 'signed_in';
      return { state, user: toSessionUser(user) };
    },

    async signIn(input, client) {
      const user = await findUserByEmail(db, input.email);
      const passwordOk = await verifyPassword(
        input.password,
        user?.password_hash ?? (await passwordDecoyHash()),
      );
      if (!user || !passwordOk || user.status !== 'active') {
        await writeTransaction(db, (trx) =>
          audit.append(trx, {
            type: 'com.alaigned.auth.signin.failed',
            userId: user?.id ?? null,
            email: input.email,
            client,
            details: {
              reason: !user ? 'unknown_email' : !passwordOk ? 'wrong_password' : 'deactivated',
            },
          }),
        );
        throw new DomainError('UNAUTHENTICATED', WRONG_CREDENTIALS);
      }
      const token = randomBytes(32).toString('base64url');
      const now = clock.now();
      await writeTransaction(db, async (trx) => {
        await deleteExpiredSessions(trx, now - SESSION_IDLE_MS, now - SESSION_ABSOLUTE_MS);
        await insertSession(trx, {
          token_hash: hashSessionToken(token),
          user_id: user.id,
          second_factor_pending: 0,
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
        });
      });
      return { token, state: 'signed_in' };
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
}
