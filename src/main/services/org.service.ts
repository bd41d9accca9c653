import { randomUUID } from 'node:crypto';
import { DomainError } from '../domain-error';
import type { Clock } from '../clock';
import { findOrganization, insertOrganization } from '../store/organization.store';
import type { Db } from '../store/schema';
import { writeTransaction } from '../store/transaction';
import { findUserByEmail, insertUser } from '../store/users.store';
import type { AuditService } from './audit.service';
import type { ClientInfo } from './client-info';
import { hashPassword } from './passwords';

export interface NewOrganization {
  orgName: string;
  adminName: string;
  adminEmail: string;
  password: string;
}

export interface OrgService {
  bootstrap(): Promise<{ orgExists: boolean; orgName: string | null }>;
  /** Creates the org and its first Site Admin; CONFLICT if an org already exists. */
  create(
    input: NewOrganization,
    client: ClientInfo,
  ): Promise<{ orgName: string; adminEmail: string }>;
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
  };
}
