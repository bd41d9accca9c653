import { findOrganization } from '../store/organization.store';
import { isAdminRole, type RequiredFor, type Role } from '../../shared/domain';
import type { Db, TwoFactorRow } from '../store/schema';
import { findTwoFactor } from '../store/two-factor.store';

export interface OrgTwoFactorSettings {
  orgName: string;
  enabled: boolean;
  required: boolean;
  requiredFor: RequiredFor;
}

/** The org's 2FA switches. Require implies enabled, so `required` is never true without `enabled`. */
export async function loadOrgSettings(db: Db): Promise<OrgTwoFactorSettings> {
  const org = await findOrganization(db);
  const enabled = Boolean(org?.two_factor_enabled);
  return {
    orgName: org?.name ?? '',
    enabled,
    required: enabled && Boolean(org?.two_factor_required),
    requiredFor: org?.two_factor_required_for ?? 'everyone',
  };
}

/** What decides a user's 2FA situation: the org's switches and the user's configuration. */
export interface UserTwoFactorContext {
  org: OrgTwoFactorSettings;
  config: TwoFactorRow | undefined;
}

export async function loadUserTwoFactorContext(
  db: Db,
  userId: string,
): Promise<UserTwoFactorContext> {
  const [org, config] = await Promise.all([loadOrgSettings(db), findTwoFactor(db, userId)]);
  return { org, config };
}

/** The user has set up 2FA (one correct code confirmed), whether or not the org has it on. */
export function isEnrolled(ctx: UserTwoFactorContext): boolean {
  return ctx.config?.status === 'active';
}

/** Sign-in asks for a code: enrolled and the org has 2FA on. Off, configurations sleep. */
export function isSecondFactorActive(ctx: UserTwoFactorContext): boolean {
  return ctx.org.enabled && isEnrolled(ctx);
}

/** The org's requirement applies to someone with this role. */
export function isRequiredFor(org: OrgTwoFactorSettings, role: Role): boolean {
  return org.required && (org.requiredFor === 'everyone' || isAdminRole(role));
}

/** The org requires 2FA of this user and they have none: only setup, account and sign-out are open. */
export function isSetupRequired(ctx: UserTwoFactorContext, role: Role): boolean {
  return isRequiredFor(ctx.org, role) && !isEnrolled(ctx);
}
