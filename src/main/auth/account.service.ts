import type { AccountNotice, SessionUser } from '../../shared/domain';
import type { Clock } from '../clock';
import { DomainError } from '../domain-error';
import type { Db } from '../store/schema';
import { dismissNotice, listOpenNotices } from '../store/notices.store';
import { deleteOtherSessions } from '../store/sessions.store';
import { writeTransaction } from '../store/transaction';
import { updatePasswordHash } from '../store/users.store';
import type { AuditService } from '../audit/audit.service';
import { hashSessionToken } from './auth.service';
import type { ClientInfo } from '../client-info';
import type { PasswordChecker } from './password-checker';
import { hashPassword } from './passwords';
import type { SecondFactorVerifier } from '../two-factor/second-factor-verifier';
import { isSecondFactorActive, loadUserTwoFactorContext } from '../two-factor/two-factor-policy';

export interface ChangePassword {
  currentPassword: string;
  newPassword: string;
  /** Required when the user's 2FA is active: the change re-authenticates with a current code. */
  code?: string;
}

export interface AccountService {
  changePassword(
    user: SessionUser,
    input: ChangePassword,
    client: ClientInfo,
    sessionToken: string,
  ): Promise<void>;
  /** What admins did to the user's account that they have not dismissed yet, newest first. */
  notices(user: SessionUser): Promise<AccountNotice[]>;
  /** Dismisses one of the user's own notices; another user's notice is not found. */
  dismissNotice(user: SessionUser, noticeId: number): Promise<void>;
}

export function createAccountService(deps: {
  db: Db;
  clock: Clock;
  audit: AuditService;
  passwords: PasswordChecker;
  verifier: SecondFactorVerifier;
}): AccountService {
  const { db, clock, audit, passwords, verifier } = deps;
  return {
    notices: (user) => listOpenNotices(db, user.id),

    async dismissNotice(user, noticeId) {
      if ((await dismissNotice(db, user.id, noticeId, clock.now())) === 0) {
        throw new DomainError('NOT_FOUND', 'That notice does not exist or was already dismissed.');
      }
    },

    async changePassword(user, input, client, sessionToken) {
      await passwords.check(user.email, input.currentPassword, client, 'change_password');
      const newHash = await hashPassword(input.newPassword);
      const apply = async (trx: Db) => {
        await updatePasswordHash(trx, user.id, newHash);
        // Anyone else signed in with the old password is signed out.
        await deleteOtherSessions(trx, user.id, hashSessionToken(sessionToken));
        await audit.append(trx, {
          type: 'com.alaigned.auth.password.changed',
          userId: user.id,
          email: user.email,
          client,
        });
      };
      const ctx = await loadUserTwoFactorContext(db, user.id);
      if (!isSecondFactorActive(ctx)) {
        await writeTransaction(db, apply);
        return;
      }
      if (!input.code) {
        throw new DomainError(
          'INVALID_INPUT',
          'code: Enter a current code from your authenticator app (or a backup code).',
        );
      }
      await verifier.verify({
        user,
        code: input.code,
        client,
        purpose: 'change_password',
        configuration: 'active',
        onSuccess: apply,
      });
    },
  };
}
