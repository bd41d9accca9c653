import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock';
import {
  findOrganization,
  insertOrganization,
  updateTwoFactorSettings,
} from '../store/organization.store';
import type { Db } from '../store/schema';
import { writeTransaction } from '../store/transaction';
import { findUserByEmail, insertUser } from '../store/users.store';
import type { AuditService } from '../audit/audit.service';
import {
  generateBackupCode,
  hashBackupCode,
  newBackupCodeSalt,
  normalizeBackupCode,
} from '../two-factor/backup-codes';
import { demoLocationOf, generateDemoHistory, type DemoHistory } from './demo-history';
import { insertIpLocations } from '../store/ip-location-fill.store';
import { generateTemporaryPassword, hashPassword } from '../auth/passwords';
import type { SecretBox } from '../keys/secret-box';
import { newTotpSecret } from '../two-factor/totp';

export interface SeedResult {
  users: number;
  events: number;
  /** Set when the database had no organization and the demo created one. */
  createdAdmin?: { email: string; temporaryPassword: string };
  planted: DemoHistory['planted'];
}

export interface DemoSeedService {
  seed(
    options: { users: number; days: number; seed: number },
    onProgress?: (done: number, total: number) => void,
  ): Promise<SeedResult>;
}

const ADMIN_EMAIL = 'admin@demo-corp.test';
const CHUNK = 20_000;

/** Writes a generated demo history (demo/demo-history.ts) into the database. */
export function createDemoSeedService(deps: {
  db: Db;
  clock: Clock;
  audit: AuditService;
  secretBox: SecretBox;
  backupCodeKey: Buffer;
}): DemoSeedService {
  const { db, clock, audit, secretBox, backupCodeKey } = deps;
  return {
    async seed(options, onProgress) {
      const now = clock.now();
      let createdAdmin: SeedResult['createdAdmin'];
      let admin =
        (await findUserByEmail(db, ADMIN_EMAIL)) ??
        (await db
          .selectFrom('users')
          .selectAll()
          .where('role', 'in', ['site_admin', 'enterprise_admin'])
          .orderBy('created_at')
          .executeTakeFirst());
      if (!(await findOrganization(db))) {
        const temporaryPassword = generateTemporaryPassword();
        const id = randomUUID();
        await writeTransaction(db, async (trx) => {
          await insertOrganization(trx, 'Demo Corp', now - options.days * 86_400_000);
          await insertUser(trx, {
            id,
            email: ADMIN_EMAIL,
            name: 'Demo Admin',
            role: 'site_admin',
            password_hash: await hashPassword(temporaryPassword),
            status: 'active',
            created_at: now - options.days * 86_400_000,
          });
        });
        admin = await findUserByEmail(db, ADMIN_EMAIL);
        createdAdmin = { email: ADMIN_EMAIL, temporaryPassword };
      }
      const actor = admin ?? { id: 'seed-demo', email: 'seed-demo' };
      const history = generateDemoHistory({
        ...options,
        now,
        admin: { id: actor.id, email: actor.email },
      });

      const existing = new Set(
        (await db.selectFrom('users').select('email').execute()).map((row) => row.email),
      );
      const newUsers = history.users.filter((u) => !existing.has(u.email));
      const passwordHash = await hashPassword(generateTemporaryPassword());
      await writeTransaction(db, async (trx) => {
        for (const user of newUsers) {
          await insertUser(trx, {
            id: user.id,
            email: user.email,
            name: user.name,
            role: user.role,
            // Demo people cannot sign in: nobody knows this password.
            password_hash: passwordHash,
            status: 'active',
            created_at: now - options.days * 86_400_000,
          });
          if (user.enrolledAt === null) continue;
          const secret = newTotpSecret();
          await trx
            .insertInto('two_factor')
            .values({
              user_id: user.id,
              secret_ciphertext: secretBox.seal(secret, user.id),
              status: 'active',
              created_at: user.enrolledAt,
              activated_at: user.enrolledAt,
              last_used_step: Math.floor((user.lastVerifiedAt ?? user.enrolledAt) / 30_000),
              last_verified_at: user.lastVerifiedAt,
              last_method: user.lastMethod,
            })
            .execute();
          secret.fill(0);
          const codes = Array.from({ length: 10 }, (_, i) => {
            const salt = newBackupCodeSalt();
            return {
              user_id: user.id,
              salt,
              code_hash: hashBackupCode(
                backupCodeKey,
                salt,
                normalizeBackupCode(generateBackupCode())!,
              ),
              created_at: user.enrolledAt!,
              used_at: i < user.backupCodesUsed ? now : null,
            };
          });
          await trx.insertInto('backup_codes').values(codes).execute();
        }
        await updateTwoFactorSettings(trx, {
          enabled: true,
          required: true,
          requiredFor: 'everyone',
        });
      });

      const included = new Set([...newUsers.map((u) => u.id), actor.id]);
      const events = history.events.filter((e) => !e.userId || included.has(e.userId));
      for (let i = 0; i < events.length; i += CHUNK) {
        await writeTransaction(db, (trx) =>
          audit.appendHistorical(trx, events.slice(i, i + CHUNK)),
        );
        onProgress?.(Math.min(i + CHUNK, events.length), events.length);
      }
      // After the events, so whatever the geo data located at append wins over the demo's own.
      const located = [...new Set(events.map((e) => e.ip).filter((ip) => ip !== null))].flatMap(
        (ip) => {
          const where = demoLocationOf(ip);
          return where ? [{ ip, ...where, internal: where.internal ? 1 : 0, as_org: null }] : [];
        },
      );
      await writeTransaction(db, (trx) => insertIpLocations(trx, located));
      return {
        users: newUsers.length,
        events: events.length,
        createdAdmin,
        planted: history.planted,
      };
    },
  };
}
