/**
 * Audit event names. The first six are the admin guide's, verbatim; the rest follow its
 * `com.alaigned.<area>.<object>.<action>` scheme for events the guide does not name.
 */
export const auditEventTypes = [
  'com.alaigned.auth.2fa.enabled',
  'com.alaigned.auth.2fa.disabled',
  'com.alaigned.auth.2fa.verify.success',
  'com.alaigned.auth.2fa.verify.failed',
  'com.alaigned.auth.2fa.backup_codes.regenerated',
  'com.alaigned.organization.2fa.settings_changed',
  'com.alaigned.organization.created',
  'com.alaigned.user.created',
  'com.alaigned.auth.signin.success',
  'com.alaigned.auth.signin.failed',
  'com.alaigned.auth.signout',
  'com.alaigned.auth.signin.locked',
  'com.alaigned.auth.2fa.locked',
  'com.alaigned.auth.password.changed',
  'com.alaigned.auth.2fa.reset',
  'com.alaigned.auth.2fa.unlocked',
  'com.alaigned.user.role_changed',
  'com.alaigned.user.deactivated',
  'com.alaigned.user.imported',
  'com.alaigned.audit.pattern_settings_changed',
  'com.alaigned.audit.trusted_networks_changed',
  'com.alaigned.audit.geo_directory_changed',
  'com.alaigned.audit.imported',
  'com.alaigned.audit.exported',
  'com.alaigned.rollout.announced',
  'com.alaigned.rollout.phase_changed',
  'com.alaigned.rollout.template_saved',
] as const;

export type AuditEventType = (typeof auditEventTypes)[number];

/** The guide's verification events: the ones the patterns, charts and detections read. */
export const VERIFY_SUCCESS = 'com.alaigned.auth.2fa.verify.success' satisfies AuditEventType;
export const VERIFY_FAILED = 'com.alaigned.auth.2fa.verify.failed' satisfies AuditEventType;

/** An account locked out after too many failed passwords, or too many failed codes. */
export const ACCOUNT_LOCKED_TYPES = [
  'com.alaigned.auth.signin.locked',
  'com.alaigned.auth.2fa.locked',
] as const satisfies readonly AuditEventType[];

export function isAuditEventType(value: string): value is AuditEventType {
  return (auditEventTypes as readonly string[]).includes(value);
}

/** The namespace every event name starts with; lists show names without it. */
export const EVENT_NAME_PREFIX = 'com.alaigned.';
