import { randomUUID } from 'node:crypto';
import type { Role } from '../../shared/domain';
import type { Clock } from '../clock';
import { DomainError } from '../domain-error';
import { findOrganization } from '../store/organization.store';
import type { Db } from '../store/schema';
import { writeTransaction } from '../store/transaction';
import { findUserByEmail, insertUser } from '../store/users.store';
import type { AuditService } from './audit.service';
import type { ClientInfo } from './client-info';
import { hashPassword } from './passwords';

export interface NewUser {
  email: string;
  name: string;
  role: Role;
  password: string;
}

/** Who made a change: a signed-in admin, or the operator at the CLI (null). */
export type Actor = { id: string; email: string } | null;

export interface UsersService {
  add(input: NewUser, client: ClientInfo, actor: Actor): Promise<{ id: string; email: string }>;
}

export function createUsersService(deps: {
  db: Db;
  clock: Clock;
  audit: AuditService;
}): UsersService {
  const { db, clock, audit } = deps;
  return {
    async add(input, client, actor) {
      const passwordHash = await hashPassword(input.password);
      return writeTransaction(db, async (trx) => {
        if (!(await findOrganization(trx))) {
          throw new DomainError(
            'NOT_FOUND',
            'No organization exists yet: create it first (org2fa init).',
          );
        }
        if (await findUserByEmail(trx, input.email)) {
          throw new DomainError('CONFLICT', `A user with email ${input.email} already exists.`);
        }
        const id = randomUUID();
        await insertUser(trx, {
          id,
          email: input.email,
          name: input.name,
          role: input.role,
          password_hash: passwordHash,
          status: 'active',
          created_at: clock.now(),
        });
        await audit.append(trx, {
          type: 'com.alaigned.user.created',
          userId: id,
          email: input.email,
          client,
          details: { role: input.role, name: input.name, createdBy: actor?.email ?? 'cli' },
        });
        return { id, email: input.email };
      });
    },
  };
}
