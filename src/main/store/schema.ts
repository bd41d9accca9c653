import type { Generated, Insertable, Kysely, Selectable } from 'kysely';
import type { AccountNoticeKind, RequiredFor, Role } from '../../shared/domain';

/**
 * Table types. Times are epoch milliseconds (integers) in every table, so ordering and range
 * scans are cheap and identical on SQLite and PostgreSQL; booleans are 0/1 integers for the same
 * reason.
 */
export interface OrganizationTable {
  /** Always 1: one console database holds one organization. */
  id: number;
  name: string;
  two_factor_enabled: number;
  two_factor_required: number;
  /** Whom the requirement applies to: everyone, or only Site and Enterprise Admins. */
  two_factor_required_for: Generated<RequiredFor>;
  created_at: number;
}

export type UserStatus = 'active' | 'deactivated';

export interface UserTable {
  id: string;
  /** Lower-cased; unique. */
  email: string;
  name: string;
  role: Role;
  /** `scrypt$N$r$p$salt$hash`, never the password. */
  password_hash: string;
  status: UserStatus;
  created_at: number;
}

export interface SessionTable {
  /** SHA-256 of the session token: a stolen database file yields no usable session. */
  token_hash: string;
  user_id: string;
  /** 1 while the password is accepted but the second factor is still owed. */
  second_factor_pending: number;
  created_at: number;
  last_seen_at: number;
  ip: string;
  user_agent: string;
  /** When the user last proved themselves (sign-in or a code); sensitive actions need it recent. */
  reauthenticated_at: number | null;
}

export interface AuditEventTable {
  id: Generated<number>;
  type: string;
  ts: number;
  user_id: string | null;
  email: string | null;
  ip: string | null;
  user_agent: string | null;
  method: string | null;
  /** JSON object text. */
  details: string;
  /** Null for events this console recorded; the file name for imported ones. */
  source: string | null;
  prev_hash: string;
  hash: string;
  /** Derived from `ip` (network/ip-network.ts): sortable address key and its /24 or /48. */
  ip_key: string | null;
  network: string | null;
  /** SHA-256 of the content without its source (audit/audit-chain.ts contentHashOf): de-duplicates imports. */
  content_hash: string | null;
}

export type TwoFactorStatus = 'pending' | 'active';

export interface TwoFactorTable {
  user_id: string;
  /** AES-256-GCM ciphertext of the TOTP secret (see keys/secret-box.ts), never the secret. */
  secret_ciphertext: string;
  /** `pending` from beginSetup until one correct code; only `active` configurations count. */
  status: TwoFactorStatus;
  created_at: number;
  activated_at: number | null;
  last_used_step: number;
  last_verified_at: number | null;
  last_method: 'totp' | 'backup_code' | null;
}

export interface BackupCodeTable {
  id: Generated<number>;
  user_id: string;
  salt: string;
  /** HMAC-SHA-256(backup-code key, salt ‖ code), hex. */
  code_hash: string;
  created_at: number;
  used_at: number | null;
}

export interface AuthThrottleTable {
  subject: string;
  consecutive_failures: number;
  failures_since_success: number;
  locked_until: number | null;
  needs_admin: number;
  last_failure_at: number;
}

export interface MetaTable {
  key: string;
  value: string;
}

/** The rollout's announcement: at most one row (id 1), replaced when the date is moved. */
export interface RolloutTable {
  id: number;
  announced_at: number;
  announced_by: string;
  /** YYYY-MM-DD, the console's local calendar. */
  enforcement_date: string;
  /** Why less than 14 days' notice was given (null when it was not). */
  override_reason: string | null;
}

/** A message template: an edited default (its id is the default's) or the org's own. */
export interface MessageTemplateTable {
  id: string;
  name: string;
  kind: string;
  subject: string;
  body: string;
  updated_at: number;
  updated_by: string;
}

/** Something an admin did to a user's account, told to that user until they dismiss it. */
export interface AccountNoticeTable {
  id: Generated<number>;
  user_id: string;
  kind: AccountNoticeKind;
  actor_name: string;
  actor_email: string;
  created_at: number;
  dismissed_at: number | null;
}

/** Events per hour and type, kept by a trigger on audit_events (migration 0010). */
export interface AuditHourlyCountTable {
  /** Hours since the epoch, floored. */
  hour: number;
  type: string;
  n: number;
}

/**
 * Where an address is, from the offline geo databases (geo/): one row per distinct address of
 * the trail, filled when an event with a new address is appended, refilled when the admin
 * changes the databases. Not part of the hash chain: the trail stays as recorded.
 */
export interface IpLocationTable {
  /** As in audit_events.ip (normalized). */
  ip: string;
  /** 1 for private, loopback, link-local, CGNAT, documentation and other non-routed ranges. */
  internal: number;
  /** ISO 3166-1 alpha-2, upper case; null when internal or unknown. */
  country: string | null;
  asn: number | null;
  as_org: string | null;
  latitude: number | null;
  longitude: number | null;
}

export interface Database {
  organization: OrganizationTable;
  users: UserTable;
  sessions: SessionTable;
  audit_events: AuditEventTable;
  audit_hourly_counts: AuditHourlyCountTable;
  two_factor: TwoFactorTable;
  backup_codes: BackupCodeTable;
  auth_throttle: AuthThrottleTable;
  meta: MetaTable;
  rollout: RolloutTable;
  message_templates: MessageTemplateTable;
  account_notices: AccountNoticeTable;
  ip_locations: IpLocationTable;
}

export type Db = Kysely<Database>;

export type OrganizationRow = Selectable<OrganizationTable>;
export type UserRow = Selectable<UserTable>;
export type NewUserRow = Insertable<UserTable>;
export type SessionRow = Selectable<SessionTable>;
export type NewSessionRow = Insertable<SessionTable>;
export type AuditEventRow = Selectable<AuditEventTable>;
export type NewAuditEventRow = Insertable<AuditEventTable>;
export type TwoFactorRow = Selectable<TwoFactorTable>;
export type BackupCodeRow = Selectable<BackupCodeTable>;
export type AuthThrottleRow = Selectable<AuthThrottleTable>;
export type IpLocationRow = Selectable<IpLocationTable>;
export type RolloutRow = Selectable<RolloutTable>;
export type MessageTemplateRow = Selectable<MessageTemplateTable>;
