import { randomUUID } from 'node:crypto';
import type { OrgSettings, ParsedInput, ProofInput } from '../../shared/contract';
import type { Role } from '../../shared/domain';
import { DomainError } from '../domain-error';
import type { Clock } from '../clock';
import {
  findOrganization,
  insertOrganization,
  updateTwoFactorSettings,
} from '../store/organization.store';
import type { Db } from '../store/schema';
import { writeTransaction } from '../store/transaction';
import { addNoticeForActiveTwoFactorUsers, noticeFromAdmin } from '../store/notices.store';
import { findUserByEmail, insertUser } from '../store/users.store';
import type { AuditService } from '../audit/audit.service';
import type { ClientInfo } from '../client-info';
import { hashPassword } from '../auth/passwords';
import { followSettingsChange } from '../rollout/rollout-phase';
import {
  isEnrolled,
  isRequiredFor,
  loadOrgSettings,
  loadUserTwoFactorContext,
} from '../two-factor/two-factor-policy';

/** The first-run form: the org and its first Site Admin. */
export type NewOrganization = ParsedInput<'org.create'>;

/** A requested change; `requiredFor` left out keeps the current one. */
export type TwoFactorSettingsUpdate = Omit<ParsedInput<'org.updateSettings'>, keyof ProofInput>;

/** Who changed org settings; the audit row names them. */
export interface SettingsActor {
  id: string;
  email: string;
}

export interface OrgService {
  bootstrap(): Promise<{ orgExists: boolean; orgName: string | null }>;
  /** Creates the org and its first Site Admin; CONFLICT if an org already exists. */
  create(
    input: NewOrganization,
    client: ClientInfo,
  ): Promise<{ orgName: string; adminEmail: string }>;
  getSettings(): Promise<OrgSettings>;
  /**
   * Applies the guide's rules (require implies enabled; turning enable off turns require off),
   * stores and audits what changed, from what to what. Returns the settings now in force.
   */
  updateSettings(
    input: TwoFactorSettingsUpdate,
    actor: SettingsActor & { role: Role },
    client: ClientInfo,
  ): Promise<OrgSettings>;
}

async function isUserEnrolled(db: Db, userId: string): Promise<boolean> {
  return isEnrolled(await loadUserTwoFactorContext(db, userId));
}

/** Resolves a requested pair into a consistent one, reading contradictions as the guide does. */
export function normalizeSettings(previous: OrgSettings, requested: OrgSettings): OrgSettings {
  if (!requested.required || requested.enabled) return requested;
  // `required` without `enabled`: if enable was just switched off, that switches require off;
  // otherwise asking to require switches enable on.
  return previous.enabled
    ? { ...requested, enabled: false, required: false }
    : { ...requested, enabled: true, required: true };
}

export function createOrgService(deps: { db: Db; clock: Clock; audit: AuditService }): OrgService {
  const { db, clock, audit } = deps;
  return {
    async bootstrap() {
      const org = await findOrganization(db);
      return { orgExists: org !== undefined, orgName: org?.name ?? null };
    },

    async create(input, client) {
      // Hash before the write lock is taken: scrypt is slow on purpose.
      const passwordHash = await hashPassword(input.password);
      return writeTransaction(db, async (trx) => {
        if (await findOrganization(trx)) {
          throw new DomainError('CONFLICT', 'This database already has an organization.');
        }
        if (await findUserByEmail(trx, input.adminEmail)) {
          throw new DomainError(
            'CONFLICT',
            `A user with email ${input.adminEmail} already exists.`,
          );
        }
        const now = clock.now();
        const adminId = randomUUID();
        await insertOrganization(trx, input.orgName, now);
        await insertUser(trx, {
          id: adminId,
          email: input.adminEmail,
          name: input.adminName,
          role: 'site_admin',
          password_hash: passwordHash,
          status: 'active',
          created_at: now,
        });
        const actor = { userId: adminId, email: input.adminEmail, client };
        await audit.append(trx, {
          ...actor,
          type: 'com.alaigned.organization.created',
          details: { organization: input.orgName },
        });
        await audit.append(trx, {
          ...actor,
          type: 'com.alaigned.user.created',
          details: { role: 'site_admin', name: input.adminName },
        });
        return { orgName: input.orgName, adminEmail: input.adminEmail };
      });
    },

    async getSettings() {
      const { enabled, required, requiredFor } = await loadOrgSettings(db);
      return { enabled, required, requiredFor };
    },

    async updateSettings(input, actor, client) {
      return writeTransaction(db, async (trx) => {
        const current = await loadOrgSettings(trx);
        const previous: OrgSettings = {
          enabled: current.enabled,
          required: current.required,
          requiredFor: current.requiredFor,
        };
        const next = normalizeSettings(previous, {
          ...input,
          requiredFor: input.requiredFor ?? previous.requiredFor,
        });
        const changes: Record<string, { from: boolean | string; to: boolean | string }> = {};
        for (const key of ['enabled', 'required', 'requiredFor'] as const) {
          if (previous[key] !== next[key]) changes[key] = { from: previous[key], to: next[key] };
        }
        if (Object.keys(changes).length === 0) return next;
        const nowAppliesToActor = isRequiredFor({ ...current, ...next }, actor.role);
        if (
          nowAppliesToActor &&
          !isRequiredFor(current, actor.role) &&
          !(await isUserEnrolled(trx, actor.id))
        ) {
          // Otherwise the admin would lock themselves into the setup page on the spot.
          throw new DomainError(
            'CONFLICT',
            'Set up two-factor authentication for your own account before requiring it.',
          );
        }
        await updateTwoFactorSettings(trx, next);
        await audit.append(trx, {
          type: 'com.alaigned.organization.2fa.settings_changed',
          userId: actor.id,
          email: actor.email,
          client,
          details: { changed: Object.keys(changes), changes },
        });
        if (previous.enabled && !next.enabled) {
          // Everyone who had set up 2FA is no longer asked for it: each of them is told why.
          await addNoticeForActiveTwoFactorUsers(
            trx,
            actor.id,
            await noticeFromAdmin(trx, actor, 'two_factor_turned_off', clock.now()),
          );
        }
        await followSettingsChange(trx, audit, { previous, next }, actor, client);
        return next;
      });
    },
  };
}
