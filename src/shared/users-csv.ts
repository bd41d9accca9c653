import type { UserOverview } from './contract';

/** Columns of a users export, shared by the CLI (`org2fa users list --format csv`) and the console. */
export const userCsvColumns = [
  'id',
  'email',
  'name',
  'role',
  'account_status',
  'two_factor_status',
  'last_verified_at',
  'last_method',
  'failures_last_7_days',
  'backup_codes_left',
] as const;

export function userCsvRow(user: UserOverview): string[] {
  return [
    user.id,
    user.email,
    user.name,
    user.role,
    user.accountStatus,
    user.twoFactor.status,
    user.twoFactor.lastVerifiedAt ?? '',
    user.twoFactor.lastMethod ?? '',
    String(user.twoFactor.failuresLast7Days),
    String(user.twoFactor.backupCodesLeft),
  ];
}
