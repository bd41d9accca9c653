import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { generateBackupCode } from '../two-factor/backup-codes';

/**
 * The one scrypt cost for every stored password, chosen or generated: N = 2^15, r = 8, p = 1,
 * about 100 ms per hash here. One cost, so how long a sign-in takes never tells which kind of
 * account (say, one still holding a generated temporary password) was asked for.
 */
export const PASSWORD_COST = { N: 1 << 15, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;
const SALT_LENGTH = 16;

function scryptAsync(password: string, salt: Buffer, keyLength: number, options: ScryptOptions) {
  return new Promise<Buffer>((resolve, reject) => {
    scrypt(password, salt, keyLength, options, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

const maxMemoryFor = (cost: { N: number; r: number }) => 128 * cost.N * cost.r * 2;

/** `scrypt$N$r$p$salt$hash` (base64url parts), with a fresh random salt, at the one cost. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_LENGTH);
  const key = await scryptAsync(password, salt, KEY_LENGTH, {
    ...PASSWORD_COST,
    maxmem: maxMemoryFor(PASSWORD_COST),
  });
  const parts = [
    PASSWORD_COST.N,
    PASSWORD_COST.r,
    PASSWORD_COST.p,
    salt.toString('base64url'),
    key.toString('base64url'),
  ];
  return ['scrypt', ...parts].join('$');
}

/** A temporary password with 80 random bits, readable aloud: `k3q7-9xwa-m2fd-tr6b`. */
export function generateTemporaryPassword(): string {
  return generateBackupCode().toLowerCase();
}

export interface PasswordVerdict {
  ok: boolean;
  /** The stored hash is at a lower cost than today's (older databases): rehash it on success. */
  needsRehash: boolean;
}

function parseStored(stored: string) {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return null;
  const [, n, r, p, saltText, keyText] = parts as [string, string, string, string, string, string];
  const cost = { N: Number(n), r: Number(r), p: Number(p) };
  if (![cost.N, cost.r, cost.p].every((v) => Number.isSafeInteger(v) && v > 0)) return null;
  return { cost, salt: Buffer.from(saltText, 'base64url'), key: Buffer.from(keyText, 'base64url') };
}

function isFullCost(cost: { N: number; r: number; p: number }): boolean {
  return cost.N >= PASSWORD_COST.N && cost.r >= PASSWORD_COST.r && cost.p >= PASSWORD_COST.p;
}

/**
 * Constant-time check of `password` against a stored `hashPassword` result. A hash stored at a
 * lower cost (generated passwords of older versions used 2^10) is checked and then padded with
 * one full-cost hash, so it takes as long as any other; the caller rehashes it on success.
 */
export async function verifyPassword(password: string, stored: string): Promise<PasswordVerdict> {
  const parsed = parseStored(stored);
  if (!parsed) {
    await padToFullCost(password);
    return { ok: false, needsRehash: false };
  }
  const { cost, salt, key: expected } = parsed;
  const key = await scryptAsync(password, salt, expected.length, {
    ...cost,
    maxmem: maxMemoryFor(cost),
  });
  const ok = key.length === expected.length && timingSafeEqual(key, expected);
  const needsRehash = !isFullCost(cost);
  if (needsRehash) await padToFullCost(password);
  return { ok, needsRehash };
}

/** One full-cost hash whose result is thrown away: the work a normal check does. */
async function padToFullCost(password: string): Promise<void> {
  await scryptAsync(password, randomBytes(SALT_LENGTH), KEY_LENGTH, {
    ...PASSWORD_COST,
    maxmem: maxMemoryFor(PASSWORD_COST),
  });
}

/**
 * A stored-hash string at the full cost with a random salt and a random key, which no password
 * matches: checked against when the e-mail is unknown, so that a sign-in attempt costs one
 * full-cost hash whether or not the account exists (and nothing is hashed ahead of time).
 */
export function passwordDecoyHash(): string {
  const parts = [
    PASSWORD_COST.N,
    PASSWORD_COST.r,
    PASSWORD_COST.p,
    randomBytes(SALT_LENGTH).toString('base64url'),
    randomBytes(KEY_LENGTH).toString('base64url'),
  ];
  return ['scrypt', ...parts].join('$');
}
