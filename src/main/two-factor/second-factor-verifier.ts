import { VERIFY_FAILED, VERIFY_SUCCESS } from '../../shared/audit-events';
import type { Clock } from '../clock';
import { DomainError } from '../domain-error';
import {
  consumeBackupCode,
  countUnusedBackupCodes,
  unusedBackupCodes,
} from '../store/backup-codes.store';
import type { BackupCodeRow, Db, TwoFactorRow } from '../store/schema';
import { deleteThrottle, findThrottle, saveThrottle } from '../store/throttle.store';
import { writeTransaction } from '../store/transaction';
import {
  advanceLastUsedStep,
  findTwoFactor,
  recordSuccessfulVerification,
} from '../store/two-factor.store';
import type { AuditService } from '../audit/audit.service';
import { backupCodeMatches, normalizeBackupCode } from './backup-codes';
import type { ClientInfo } from '../client-info';
import type { SecretBox } from '../keys/secret-box';
import { formatWait, recordFailure, throttleState } from '../auth/throttle';
import { CLOCK_SKEW_SEARCH_STEPS, matchTotp, TOTP_PERIOD_SECONDS } from './totp';

/** Why a code is being checked; recorded with the verification event. */
export type VerificationPurpose =
  | 'sign_in'
  | 'setup'
  | 'disable'
  | 'regenerate_backup_codes'
  | 'change_password'
  | 'reauthenticate';

export type FailureReason = 'wrong_code' | 'reused_code' | 'clock_skew' | 'locked';

export interface VerifiedCode {
  method: 'totp' | 'backup_code';
  /** The TOTP time step accepted (TOTP only). */
  step: number | null;
}

export interface VerifyRequest<T> {
  user: { id: string; email: string };
  code: string;
  client: ClientInfo;
  purpose: VerificationPurpose;
  /** Which configuration the code must match: the pending one during setup, else the active one. */
  configuration: 'pending' | 'active';
  /** Runs in the same transaction once the code is accepted, so the change and the code's use commit together. */
  onSuccess(trx: Db, verified: VerifiedCode): Promise<T>;
}

export interface SecondFactorVerifier {
  verify<T>(request: VerifyRequest<T>): Promise<T>;
}

export function throttleSubject(userId: string): string {
  return `second_factor:${userId}`;
}

type Outcome<T> = { ok: true; value: T } | { ok: false; error: DomainError };

const WRONG_CODE =
  'That code is not correct. Enter the current 6-digit code from your authenticator app, or a backup code.';
const WRONG_SETUP_CODE =
  'That code is not correct. Enter the 6-digit code your authenticator app shows for this account now.';

/**
 * The one place a second-factor code is judged: throttle first, then TOTP (±1 step, never the
 * same step twice) or a backup code (single use), every attempt audited with its method and,
 * when it fails, why. Failures are committed even though the call then fails.
 */
export function createSecondFactorVerifier(deps: {
  db: Db;
  clock: Clock;
  audit: AuditService;
  secretBox: SecretBox;
  backupCodeKey: Buffer;
}): SecondFactorVerifier {
  const { db, clock, audit, secretBox, backupCodeKey } = deps;

  function readSecret(config: TwoFactorRow): Buffer {
    return secretBox.open(config.secret_ciphertext, config.user_id);
  }

  /** Finds the unused backup code matching `normalized`, or reports a spent one. */
  async function matchBackupCode(
    trx: Db,
    userId: string,
    normalized: string,
  ): Promise<BackupCodeRow | 'used' | null> {
    for (const row of await unusedBackupCodes(trx, userId)) {
      if (backupCodeMatches(backupCodeKey, row.salt, row.code_hash, normalized)) return row;
    }
    const used = await trx
      .selectFrom('backup_codes')
      .selectAll()
      .where('user_id', '=', userId)
      .where('used_at', 'is not', null)
      .execute();
    return used.some((row) => backupCodeMatches(backupCodeKey, row.salt, row.code_hash, normalized))
      ? 'used'
      : null;
  }

  return {
    async verify(request) {
      const { user, client, purpose } = request;
      const subject = throttleSubject(user.id);
      const compact = request.code.replace(/[\s-]/g, '');
      const isTotpShaped = /^\d{6}$/.test(compact);
      const backup = isTotpShaped ? null : normalizeBackupCode(request.code);
      const method = backup ? 'backup_code' : 'totp';
      const wrongCode = request.configuration === 'pending' ? WRONG_SETUP_CODE : WRONG_CODE;

      const outcome = await writeTransaction(db, async (trx): Promise<Outcome<unknown>> => {
        const now = clock.now();
        const auditBase = { userId: user.id, email: user.email, client, method } as const;
        const throttle = await findThrottle(trx, subject);
        const state = throttleState(throttle, now);
        if (state.locked) {
          await audit.append(trx, {
            ...auditBase,
            type: VERIFY_FAILED,
            details: { reason: 'locked', purpose, needsAdmin: state.needsAdmin },
          });
          return { ok: false, error: lockedError(state.retryAfterMs) };
        }

        const config = await findTwoFactor(trx, user.id);
        if (!config || config.status !== request.configuration) {
          throw new DomainError(
            'CONFLICT',
            'Two-factor authentication is not set up for this account.',
          );
        }

        let failure: { reason: FailureReason; message: string } | null = null;
        let verified: VerifiedCode | null = null;
        if (isTotpShaped) {
          const secret = readSecret(config);
          try {
            const step = matchTotp(secret, compact, now);
            if (step === null) {
              const skew = matchTotp(secret, compact, now, CLOCK_SKEW_SEARCH_STEPS);
              failure =
                skew === null
                  ? { reason: 'wrong_code', message: wrongCode }
                  : clockSkewFailure(skew, now);
            } else if (
              step <= config.last_used_step ||
              !(await advanceLastUsedStep(trx, user.id, step))
            ) {
              failure = {
                reason: 'reused_code',
                message:
                  'That code was already used. Wait for the next code in your authenticator app.',
              };
            } else {
              verified = { method: 'totp', step };
            }
          } finally {
            secret.fill(0);
          }
        } else if (backup && request.configuration === 'active') {
          const match = await matchBackupCode(trx, user.id, backup);
          if (match === 'used') {
            failure = {
              reason: 'reused_code',
              message: 'That backup code was already used. Each backup code works once.',
            };
          } else if (match && (await consumeBackupCode(trx, match.id, now))) {
            verified = { method: 'backup_code', step: null };
          } else {
            failure = { reason: 'wrong_code', message: WRONG_CODE };
          }
        } else {
          failure = { reason: 'wrong_code', message: wrongCode };
        }

        if (verified) {
          await deleteThrottle(trx, subject);
          const value = await request.onSuccess(trx, verified);
          await recordSuccessfulVerification(trx, user.id, verified.method, now);
          const details: Record<string, unknown> = { purpose };
          if (verified.method === 'backup_code')
            details.backupCodesLeft = await countUnusedBackupCodes(trx, user.id);
          await audit.append(trx, {
            ...auditBase,
            method: verified.method,
            type: VERIFY_SUCCESS,
            details,
          });
          return { ok: true, value };
        }

        const failed = failure!;
        const next = recordFailure(subject, throttle, now);
        await saveThrottle(trx, next.row);
        await audit.append(trx, {
          ...auditBase,
          type: VERIFY_FAILED,
          details: {
            reason: failed.reason,
            purpose,
            consecutiveFailures: next.row.consecutive_failures,
          },
        });
        if (next.lockMs > 0 || next.needsAdmin) {
          await audit.append(trx, {
            ...auditBase,
            type: 'com.alaigned.auth.2fa.locked',
            details: {
              consecutiveFailures: next.row.consecutive_failures,
              failuresSinceSuccess: next.row.failures_since_success,
              lockSeconds: next.needsAdmin ? null : next.lockMs / 1000,
              needsAdmin: next.needsAdmin,
            },
          });
          return { ok: false, error: lockedError(next.needsAdmin ? Infinity : next.lockMs) };
        }
        return { ok: false, error: new DomainError('INVALID_CODE', failed.message) };
      });
      if (!outcome.ok) throw outcome.error;
      return outcome.value as Awaited<ReturnType<typeof request.onSuccess>>;
    },
  };
}

export function lockedError(retryAfterMs: number): DomainError {
  if (!Number.isFinite(retryAfterMs)) {
    return new DomainError(
      'LOCKED_OUT',
      'Too many failed attempts. An administrator must unlock this account.',
    );
  }
  return new DomainError(
    'LOCKED_OUT',
    `Too many failed attempts. Try again in ${formatWait(retryAfterMs)}.`,
    Math.ceil(retryAfterMs / 1000),
  );
}

function clockSkewFailure(step: number, now: number): { reason: FailureReason; message: string } {
  const offsetSeconds = step * TOTP_PERIOD_SECONDS - Math.floor(now / 1000);
  const minutes = Math.max(1, Math.round(Math.abs(offsetSeconds) / 60));
  const direction = offsetSeconds > 0 ? 'ahead' : 'behind';
  return {
    reason: 'clock_skew',
    message:
      `That code belongs to a different time: your device's clock seems about ${minutes} min ${direction}. ` +
      'Check your device time (turn on automatic time sync) and try again.',
  };
}
