import { z } from 'zod';
import { refuseHiddenCharacters } from './text-safety';

/** Roles of the guide: Site Admin and Enterprise Admin may administer the org; members may not. */
export const roles = ['member', 'site_admin', 'enterprise_admin'] as const;
export type Role = (typeof roles)[number];
export const roleSchema = z.enum(roles);

/** Whom an org's 2FA requirement applies to (role-based requirement, as GitLab offers). */
export const requiredForValues = ['everyone', 'admins'] as const;
export type RequiredFor = (typeof requiredForValues)[number];
export const requiredForSchema = z.enum(requiredForValues);

export function isAdminRole(role: Role): boolean {
  return role === 'site_admin' || role === 'enterprise_admin';
}

/**
 * Where a session stands. `setup_required` is derived on every call from the org's requirement
 * and the user's enrollment, so an admin's change takes effect at once.
 */
export const sessionStates = [
  'signed_out',
  'second_factor_required',
  'setup_required',
  'signed_in',
] as const;
export type SessionState = (typeof sessionStates)[number];
export const sessionStateSchema = z.enum(sessionStates);

/**
 * Lower-cased, trimmed e-mail address; the one form stored and compared. Hidden characters are
 * named before the address check (which refuses them too, without saying why).
 */
export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(254, 'Email address is too long')
  .superRefine(refuseHiddenCharacters)
  .pipe(z.email('Enter a valid email address'));

/** A person's name as others will read it: one line, nothing invisible or direction-changing. */
export const displayNameSchema = z
  .string()
  .trim()
  .min(1, 'Name is required')
  .max(200, 'Name is too long')
  .superRefine(refuseHiddenCharacters);

export const orgNameSchema = z
  .string()
  .trim()
  .min(1, 'Organization name is required')
  .max(120, 'Organization name is too long')
  .superRefine(refuseHiddenCharacters);

export const MIN_PASSWORD_LENGTH = 12;

/** A password someone chooses through the console: long enough to resist guessing. */
export const newPasswordSchema = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `Password must be at least ${MIN_PASSWORD_LENGTH} characters`)
  .max(1024, 'Password is too long');

/** A password someone types to sign in: any non-empty string, checked against the stored hash. */
export const passwordAttemptSchema = z
  .string()
  .min(1, 'Password is required')
  .max(1024, 'Password is too long');

export const sessionUserSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: roleSchema,
});
export type SessionUser = z.infer<typeof sessionUserSchema>;

/**
 * What an admin did to a user's own account that the user must hear about: their 2FA was reset
 * (codes and backup codes void), or 2FA was turned off for the whole organization.
 */
export const accountNoticeKinds = ['two_factor_reset', 'two_factor_turned_off'] as const;
export type AccountNoticeKind = (typeof accountNoticeKinds)[number];

export const accountNoticeSchema = z.object({
  id: z.number().int(),
  kind: z.enum(accountNoticeKinds),
  /** When the admin did it, epoch ms. */
  at: z.number(),
  byName: z.string(),
  byEmail: z.string(),
});
export type AccountNotice = z.infer<typeof accountNoticeSchema>;
