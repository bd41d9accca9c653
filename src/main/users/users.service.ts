import { randomUUID } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import {
  displayNameSchema,
  emailSchema,
  isAdminRole,
  roleSchema,
  type Role,
} from '../../shared/domain';
import type {
  CallOutput,
  ParsedInput,
  ProofInput,
  TwoFactorUserStatus,
  UserOverview,
} from '../../shared/contract';
import { VERIFY_FAILED } from '../../shared/audit-events';
import { visibleText } from '../../shared/text-safety';
import type { Clock } from '../clock';
import { DomainError } from '../domain-error';
import { findOrganization } from '../store/organization.store';
import type { Db } from '../store/schema';
import { deleteUserSessions } from '../store/sessions.store';
import { clearUserThrottles } from '../store/throttle.store';
import { writeTransaction } from '../store/transaction';
import { deleteBackupCodes } from '../store/backup-codes.store';
import { addNotice, noticeFromAdmin } from '../store/notices.store';
import { deleteTwoFactor, findTwoFactor } from '../store/two-factor.store';
import {
  countActiveAdmins,
  findUserByEmail,
  findUserById,
  findUsersByEmails,
  insertUser,
  listUserOverviews,
  setUserRole,
  setUserStatus,
  type UserOverviewRow,
} from '../store/users.store';
import type { AuditService } from '../audit/audit.service';
import type { ClientInfo } from '../client-info';
import { generateTemporaryPassword, hashPassword } from '../auth/passwords';
import {
  isRequiredFor,
  loadOrgSettings,
  type OrgTwoFactorSettings,
} from '../two-factor/two-factor-policy';

/** A user to add; without `password` a temporary one is generated and returned once. */
export type NewUser = Omit<ParsedInput<'users.add'>, keyof ProofInput>;

/** Who made a change: a signed-in admin, or the operator at the CLI (null). */
export type Actor = { id: string; email: string } | null;

/** An imported user with their temporary password, answered once. */
export type ImportedUser = CallOutput<'users.import'>['users'][number];

export type ImportProgress = (done: number, total: number) => void;

export interface UsersService {
  list(filter?: ParsedInput<'users.list'>): Promise<UserOverview[]>;
  get(userId: string): Promise<UserOverview>;
  add(
    input: NewUser,
    client: ClientInfo,
    actor: Actor,
  ): Promise<{ id: string; email: string; temporaryPassword?: string }>;
  /** CSV `email,name,role`: every line valid or nothing is imported. */
  importCsv(
    csv: string,
    client: ClientInfo,
    actor: Actor,
    onProgress?: ImportProgress,
  ): Promise<ImportedUser[]>;
  setRole(userId: string, role: Role, client: ClientInfo, actor: Actor): Promise<void>;
  deactivate(userId: string, client: ClientInfo, actor: Actor): Promise<void>;
  /** The guide's "contact support" case: secret and backup codes gone, lockouts cleared. */
  resetTwoFactor(userId: string, client: ClientInfo, actor: Actor): Promise<void>;
  unlock(userId: string, client: ClientInfo, actor: Actor): Promise<void>;
  /** Active users a requirement would send to setup at their next sign-in. */
  wouldBeRedirected(
    requiredFor: OrgTwoFactorSettings['requiredFor'],
  ): Promise<Array<{ id: string; email: string; name: string; role: Role }>>;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const MAX_IMPORT_ROWS = 10_000;

function actorDetails(actor: Actor) {
  return actor ? { actorId: actor.id, actorEmail: actor.email } : { actorEmail: 'cli' };
}

function toOverview(row: UserOverviewRow, org: OrgTwoFactorSettings, now: number): UserOverview {
  const secondFactorLock = Number(row.second_factor_locked_until ?? 0);
  const passwordLock = Number(row.password_locked_until ?? 0);
  const needsAdminUnlock =
    Boolean(row.second_factor_needs_admin) || Boolean(row.password_needs_admin);
  const lockedUntilMs = Math.max(secondFactorLock, passwordLock);
  const locked = needsAdminUnlock || lockedUntilMs > now;
  const enrolled = row.two_factor_status === 'active';
  const status: TwoFactorUserStatus = locked
    ? 'locked'
    : enrolled
      ? org.enabled
        ? 'enrolled'
        : 'inactive'
      : 'not_enrolled';
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    accountStatus: row.status,
    createdAt: new Date(Number(row.created_at)).toISOString(),
    twoFactor: {
      status,
      enrolled,
      lastVerifiedAt: row.last_verified_at
        ? new Date(Number(row.last_verified_at)).toISOString()
        : null,
      lastMethod: row.last_method,
      failuresLast7Days: Number(row.failures_since ?? 0),
      backupCodesLeft: enrolled ? Number(row.backup_codes_left ?? 0) : 0,
      lockedUntil:
        !needsAdminUnlock && lockedUntilMs > now ? new Date(lockedUntilMs).toISOString() : null,
      needsAdminUnlock,
    },
  };
}

const importRowSchema = z.object({ email: emailSchema, name: displayNameSchema, role: roleSchema });

/**
 * The line each record starts on, as an editor numbers them. csv-parse's `info.lines` is the line
 * a record ends on, and it counts a CR LF inside a quoted value as two lines (every later record
 * shifts by one), so both are taken back out here.
 */
function startLines(records: Array<{ record: Record<string, string>; info: { lines: number } }>) {
  let overcounted = 0;
  return records.map(({ record, info }) => {
    const values = Object.values(record).join('');
    const breaks = values.match(/\r\n|[\r\n]/g)?.length ?? 0;
    overcounted += (values.match(/[\r\n]/g)?.length ?? 0) - breaks;
    return info.lines - overcounted - breaks;
  });
}

/** `line 3: email "nope" is not a valid email address`, one per problem. */
function describeRowErrors(
  line: number,
  record: Record<string, unknown>,
  error: z.ZodError,
): string[] {
  return error.issues.map((issue) => {
    const field = String(issue.path[0] ?? 'line');
    const value = record[field];
    // Shown as a person must read it: a U+202E here would turn the message around.
    const shown = typeof value === 'string' ? ` "${visibleText(value.slice(0, 60))}"` : '';
    return `line ${line}: ${field}${shown}: ${issue.message}`;
  });
}

export function createUsersService(deps: {
  db: Db;
  clock: Clock;
  audit: AuditService;
}): UsersService {
  const { db, clock, audit } = deps;

  async function overviews(userId?: string): Promise<UserOverview[]> {
    const now = clock.now();
    const [org, rows] = await Promise.all([
      loadOrgSettings(db),
      listUserOverviews(db, {
        failuresSinceMs: now - 7 * DAY_MS,
        failedType: VERIFY_FAILED,
        userId,
      }),
    ]);
    return rows.map((row) => toOverview(row, org, now));
  }

  async function requireUser(trx: Db, userId: string) {
    const user = await findUserById(trx, userId);
    if (!user) throw new DomainError('NOT_FOUND', 'No such user.');
    return user;
  }

  /** The last active admin may not lose admin rights or be deactivated: nobody could administer. */
  async function guardLastAdmin(trx: Db, user: { role: Role; status: string; email: string }) {
    if (isAdminRole(user.role) && user.status === 'active' && (await countActiveAdmins(trx)) <= 1) {
      throw new DomainError(
        'CONFLICT',
        `${user.email} is the last administrator; make someone else a Site Admin or Enterprise Admin first.`,
      );
    }
  }

  async function requireOrganization(trx: Db) {
    if (!(await findOrganization(trx))) {
      throw new DomainError(
        'NOT_FOUND',
        'No organization exists yet: create it first (org2fa init).',
      );
    }
  }

  return {
    async list(filter = {}) {
      const search = filter.search?.trim().toLowerCase();
      return (await overviews()).filter(
        (u) =>
          (!filter.status || u.twoFactor.status === filter.status) &&
          (!filter.role || u.role === filter.role) &&
          (!search || u.email.includes(search) || u.name.toLowerCase().includes(search)),
      );
    },

    async get(userId) {
      const [user] = await overviews(userId);
      if (!user) throw new DomainError('NOT_FOUND', 'No such user.');
      return user;
    },

    async add(input, client, actor) {
      const temporaryPassword = input.password ? undefined : generateTemporaryPassword();
      const passwordHash = input.password
        ? await hashPassword(input.password)
        : await hashPassword(temporaryPassword!);
      return writeTransaction(db, async (trx) => {
        await requireOrganization(trx);
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
          details: { role: input.role, name: input.name, ...actorDetails(actor) },
        });
        return temporaryPassword
          ? { id, email: input.email, temporaryPassword }
          : { id, email: input.email };
      });
    },

    async importCsv(csv, client, actor, onProgress) {
      let records: Array<{ record: Record<string, string>; info: { lines: number } }>;
      try {
        records = parse(csv, {
          columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()),
          skip_empty_lines: true,
          trim: true,
          info: true,
          bom: true,
        });
      } catch (error) {
        throw new DomainError(
          'INVALID_INPUT',
          `The file is not valid CSV: ${(error as Error).message}`,
        );
      }
      if (records.length === 0)
        throw new DomainError(
          'INVALID_INPUT',
          'The file has no users: expected a header row email,name,role and one line per user.',
        );
      const header = Object.keys(records[0]!.record).sort();
      if (header.join(',') !== 'email,name,role') {
        throw new DomainError(
          'INVALID_INPUT',
          `line 1: the header must be email,name,role (found ${Object.keys(records[0]!.record).join(',')}).`,
        );
      }
      if (records.length > MAX_IMPORT_ROWS) {
        throw new DomainError(
          'INVALID_INPUT',
          `The file has ${records.length} users; import at most ${MAX_IMPORT_ROWS} at a time.`,
        );
      }

      const errors: string[] = [];
      const rows: Array<z.output<typeof importRowSchema> & { line: number }> = [];
      const seen = new Map<string, number>();
      const lines = startLines(records);
      for (const [index, { record }] of records.entries()) {
        const line = lines[index]!;
        const parsed = importRowSchema.safeParse(record);
        if (!parsed.success) {
          errors.push(...describeRowErrors(line, record, parsed.error));
          continue;
        }
        const earlier = seen.get(parsed.data.email);
        if (earlier !== undefined)
          errors.push(
            `line ${line}: email "${parsed.data.email}" already appears on line ${earlier}`,
          );
        seen.set(parsed.data.email, line);
        rows.push({ ...parsed.data, line });
      }
      const existing = new Set(
        await findUsersByEmails(
          db,
          rows.map((r) => r.email),
        ),
      );
      for (const row of rows) {
        if (existing.has(row.email))
          errors.push(`line ${row.line}: email "${row.email}" already has an account`);
      }
      if (errors.length > 0) {
        errors.sort((a, b) => Number(/\d+/.exec(a)?.[0]) - Number(/\d+/.exec(b)?.[0]));
        const shown = errors.slice(0, 20).join('\n');
        const more = errors.length > 20 ? `\n… and ${errors.length - 20} more` : '';
        throw new DomainError(
          'INVALID_INPUT',
          `Nothing was imported. Fix these lines and try again:\n${shown}${more}`,
          undefined,
          { kind: 'file_refused' },
        );
      }

      // Hash outside the write lock, a few at a time (the thread pool runs them in parallel).
      const prepared: Array<ImportedUser & { hash: string }> = [];
      for (let i = 0; i < rows.length; i += 8) {
        const batch = await Promise.all(
          rows.slice(i, i + 8).map(async (row) => {
            const temporaryPassword = generateTemporaryPassword();
            return {
              ...row,
              temporaryPassword,
              hash: await hashPassword(temporaryPassword),
            };
          }),
        );
        prepared.push(...batch);
        onProgress?.(prepared.length, rows.length);
      }

      return writeTransaction(db, async (trx) => {
        await requireOrganization(trx);
        const now = clock.now();
        for (const user of prepared) {
          const id = randomUUID();
          await insertUser(trx, {
            id,
            email: user.email,
            name: user.name,
            role: user.role,
            password_hash: user.hash,
            status: 'active',
            created_at: now,
          });
          await audit.append(trx, {
            type: 'com.alaigned.user.created',
            userId: id,
            email: user.email,
            client,
            details: { role: user.role, name: user.name, imported: true, ...actorDetails(actor) },
          });
        }
        await audit.append(trx, {
          type: 'com.alaigned.user.imported',
          userId: actor?.id ?? null,
          email: actor?.email ?? null,
          client,
          details: { count: prepared.length, ...actorDetails(actor) },
        });
        return prepared.map(({ email, name, role, temporaryPassword }) => ({
          email,
          name,
          role,
          temporaryPassword,
        }));
      });
    },

    async setRole(userId, role, client, actor) {
      await writeTransaction(db, async (trx) => {
        const user = await requireUser(trx, userId);
        if (user.role === role) return;
        if (!isAdminRole(role)) await guardLastAdmin(trx, user);
        await setUserRole(trx, userId, role);
        await audit.append(trx, {
          type: 'com.alaigned.user.role_changed',
          userId,
          email: user.email,
          client,
          details: { from: user.role, to: role, ...actorDetails(actor) },
        });
      });
    },

    async deactivate(userId, client, actor) {
      await writeTransaction(db, async (trx) => {
        const user = await requireUser(trx, userId);
        if (actor && actor.id === userId) {
          throw new DomainError('CONFLICT', 'You cannot deactivate your own account.');
        }
        if (user.status === 'deactivated') return;
        await guardLastAdmin(trx, user);
        await setUserStatus(trx, userId, 'deactivated');
        await deleteUserSessions(trx, userId);
        await audit.append(trx, {
          type: 'com.alaigned.user.deactivated',
          userId,
          email: user.email,
          client,
          details: { ...actorDetails(actor) },
        });
      });
    },

    async resetTwoFactor(userId, client, actor) {
      await writeTransaction(db, async (trx) => {
        const user = await requireUser(trx, userId);
        const config = await findTwoFactor(trx, userId);
        if (!config)
          throw new DomainError(
            'CONFLICT',
            `${user.email} has no two-factor authentication to reset.`,
          );
        await deleteTwoFactor(trx, userId);
        await deleteBackupCodes(trx, userId);
        await clearUserThrottles(trx, userId, user.email);
        // Whatever device they used may be in someone else's hands: end their sessions too.
        await deleteUserSessions(trx, userId);
        if (actor) {
          // The user hears of it on their next visit, so a reset they did not ask for stands out.
          await addNotice(
            trx,
            userId,
            await noticeFromAdmin(trx, actor, 'two_factor_reset', clock.now()),
          );
        }
        await audit.append(trx, {
          type: 'com.alaigned.auth.2fa.reset',
          userId,
          email: user.email,
          client,
          details: { wasActive: config.status === 'active', ...actorDetails(actor) },
        });
      });
    },

    async unlock(userId, client, actor) {
      await writeTransaction(db, async (trx) => {
        const user = await requireUser(trx, userId);
        const cleared = await clearUserThrottles(trx, userId, user.email);
        if (cleared === 0) throw new DomainError('CONFLICT', `${user.email} is not locked out.`);
        await audit.append(trx, {
          type: 'com.alaigned.auth.2fa.unlocked',
          userId,
          email: user.email,
          client,
          details: { ...actorDetails(actor) },
        });
      });
    },

    async wouldBeRedirected(requiredFor) {
      const org = { ...(await loadOrgSettings(db)), enabled: true, required: true, requiredFor };
      return (await overviews())
        .filter(
          (u) =>
            u.accountStatus === 'active' && isRequiredFor(org, u.role) && !u.twoFactor.enrolled,
        )
        .map(({ id, email, name, role }) => ({ id, email, name, role }));
    },
  };
}
