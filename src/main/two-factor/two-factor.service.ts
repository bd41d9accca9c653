import QRCode from 'qrcode';
import type { TwoFactorSetup, TwoFactorStatus } from '../../shared/contract';
import type { SessionUser } from '../../shared/domain';
import type { Clock } from '../clock';
import { DomainError } from '../domain-error';
import {
  countUnusedBackupCodes,
  deleteBackupCodes,
  replaceBackupCodes,
} from '../store/backup-codes.store';
import type { Db } from '../store/schema';
import { findThrottle } from '../store/throttle.store';
import { writeTransaction } from '../store/transaction';
import { activateTwoFactor, deleteTwoFactor, putPendingTwoFactor } from '../store/two-factor.store';
import type { AuditService } from '../audit/audit.service';
import {
  BACKUP_CODE_COUNT,
  generateBackupCode,
  hashBackupCode,
  newBackupCodeSalt,
  normalizeBackupCode,
} from './backup-codes';
import type { ClientInfo } from '../client-info';
import { throttleSubject, type SecondFactorVerifier } from './second-factor-verifier';
import type { SecretBox } from '../keys/secret-box';
import { throttleState } from '../auth/throttle';
import { encodeBase32, newTotpSecret, otpauthUri } from './totp';
import {
  isEnrolled,
  isRequiredFor,
  loadOrgSettings,
  loadUserTwoFactorContext,
} from './two-factor-policy';

export interface TwoFactorService {
  status(user: SessionUser): Promise<TwoFactorStatus>;
  beginSetup(user: SessionUser): Promise<TwoFactorSetup>;
  confirmSetup(
    user: SessionUser,
    code: string,
    client: ClientInfo,
  ): Promise<{ backupCodes: string[] }>;
  disable(user: SessionUser, code: string, client: ClientInfo): Promise<void>;
  regenerateBackupCodes(
    user: SessionUser,
    code: string,
    client: ClientInfo,
  ): Promise<{ backupCodes: string[] }>;
}

const ORG_2FA_OFF =
  'Two-factor authentication is turned off for your organization. An administrator can turn it on in Settings → Security.';

export function createTwoFactorService(deps: {
  db: Db;
  clock: Clock;
  audit: AuditService;
  secretBox: SecretBox;
  backupCodeKey: Buffer;
  verifier: SecondFactorVerifier;
}): TwoFactorService {
  const { db, clock, audit, secretBox, backupCodeKey, verifier } = deps;

  /** Ten fresh codes: stored as salted HMACs, returned in clear exactly once. */
  async function issueBackupCodes(trx: Db, userId: string): Promise<string[]> {
    const codes = Array.from({ length: BACKUP_CODE_COUNT }, generateBackupCode);
    const stored = codes.map((code) => {
      const salt = newBackupCodeSalt();
      return { salt, codeHash: hashBackupCode(backupCodeKey, salt, normalizeBackupCode(code)!) };
    });
    await replaceBackupCodes(trx, userId, stored, clock.now());
    return codes;
  }

  async function requireOrgEnabled() {
    const org = await loadOrgSettings(db);
    if (!org.enabled) throw new DomainError('FORBIDDEN', ORG_2FA_OFF);
    return org;
  }

  return {
    async status(user) {
      const ctx = await loadUserTwoFactorContext(db, user.id);
      const enrolled = isEnrolled(ctx);
      const requiredForYou = isRequiredFor(ctx.org, user.role);
      const throttle = throttleState(await findThrottle(db, throttleSubject(user.id)), clock.now());
      return {
        orgEnabled: ctx.org.enabled,
        orgRequired: ctx.org.required,
        requiredForYou,
        enrolled,
        active: enrolled && ctx.org.enabled,
        pendingSetup: ctx.config?.status === 'pending',
        canDisable: enrolled && ctx.org.enabled && !requiredForYou,
        backupCodesLeft: enrolled ? await countUnusedBackupCodes(db, user.id) : 0,
        activatedAt: ctx.config?.activated_at
          ? new Date(ctx.config.activated_at).toISOString()
          : null,
        lockedUntil:
          throttle.locked && Number.isFinite(throttle.retryAfterMs)
            ? new Date(clock.now() + throttle.retryAfterMs).toISOString()
            : null,
        needsAdminUnlock: throttle.needsAdmin,
      };
    },

    async beginSetup(user) {
      const org = await requireOrgEnabled();
      const secret = newTotpSecret();
      try {
        const base32 = encodeBase32(secret);
        const uri = otpauthUri(org.orgName, user.email, base32);
        await writeTransaction(db, async (trx) => {
          const ctx = await loadUserTwoFactorContext(trx, user.id);
          if (isEnrolled(ctx)) {
            throw new DomainError(
              'CONFLICT',
              'Two-factor authentication is already set up. Regenerate backup codes or turn it off first.',
            );
          }
          // A new setup replaces a pending one: the guide's "restart setup (refresh the page)".
          await putPendingTwoFactor(trx, user.id, secretBox.seal(secret, user.id), clock.now());
        });
        const qrPngDataUrl = await QRCode.toDataURL(uri, {
          errorCorrectionLevel: 'M',
          margin: 2,
          width: 264,
        });
        return { secret: base32, otpauthUri: uri, qrPngDataUrl };
      } finally {
        secret.fill(0);
      }
    },

    async confirmSetup(user, code, client) {
      await requireOrgEnabled();
      return verifier.verify({
        user,
        code,
        client,
        purpose: 'setup',
        configuration: 'pending',
        onSuccess: async (trx, verified) => {
          await activateTwoFactor(trx, user.id, verified.step ?? -1, clock.now());
          const backupCodes = await issueBackupCodes(trx, user.id);
          await audit.append(trx, {
            type: 'com.alaigned.auth.2fa.enabled',
            userId: user.id,
            email: user.email,
            client,
            method: 'totp',
            details: { backupCodesIssued: backupCodes.length },
          });
          return { backupCodes };
        },
      });
    },

    async disable(user, code, client) {
      const ctx = await loadUserTwoFactorContext(db, user.id);
      if (!ctx.org.enabled) throw new DomainError('FORBIDDEN', ORG_2FA_OFF);
      if (isRequiredFor(ctx.org, user.role)) {
        throw new DomainError(
          'FORBIDDEN',
          'Your organization requires two-factor authentication, so you cannot turn it off.',
        );
      }
      await verifier.verify({
        user,
        code,
        client,
        purpose: 'disable',
        configuration: 'active',
        onSuccess: async (trx) => {
          await deleteTwoFactor(trx, user.id);
          await deleteBackupCodes(trx, user.id);
          await audit.append(trx, {
            type: 'com.alaigned.auth.2fa.disabled',
            userId: user.id,
            email: user.email,
            client,
            details: { by: 'self' },
          });
        },
      });
    },

    async regenerateBackupCodes(user, code, client) {
      await requireOrgEnabled();
      return verifier.verify({
        user,
        code,
        client,
        purpose: 'regenerate_backup_codes',
        configuration: 'active',
        onSuccess: async (trx) => {
          const backupCodes = await issueBackupCodes(trx, user.id);
          await audit.append(trx, {
            type: 'com.alaigned.auth.2fa.backup_codes.regenerated',
            userId: user.id,
            email: user.email,
            client,
            details: { backupCodesIssued: backupCodes.length },
          });
          return { backupCodes };
        },
      });
    },
  };
}
