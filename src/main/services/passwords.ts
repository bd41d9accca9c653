import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { generateBackupCode } from './backup-codes';

/** scrypt cost for passwords people choose: N = 2^15, r = 8, p = 1, about 100 ms per hash here. */
const COST = { N: 1 << 15, r: 8, p: 1 } as const;
/**
 * For generated temporary passwords only: they carry 80 random bits, so guessing is hopeless at
 * any hash cost, and a low one lets an import of thousands of users finish in seconds. The cost
 * is stored in each hash, and the user's own next password gets the full cost.
 */
const GENERATED_SECRET_COST = { N: 1 << 10, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;
const SALT_LENGTH = 16;
const MAX_MEMORY = 128 * COST.N * COST.r * 2;

function scryptAsync(password: string, salt: Buffer, keyLength: number, options: ScryptOptions) {
  return new Promise<Buffer>((resolve, reject) => {
    scrypt(password, salt, keyLength, options, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

/** `scrypt$N$r$p$salt$hash` (base64url parts), with a fresh random salt. */
export async function hashPassword(
  password: string,
  kind: 'chosen' | 'generated' = 'chosen',
): Promise<string> {
  const cost = kind === 'chosen' ? COST : GENERATED_SECRET_COST;
  const salt = randomBytes(SALT_LENGTH);
  const key = await scryptAsync(password, salt, KEY_LENGTH, { ...cost, maxmem: MAX_MEMORY });
  const parts = [cost.N, cost.r, cost.p, salt.toString('base64url'), key.toString('base64url')];
  return ['scrypt', ...parts].join('$');
}

/** A temporary password with 80 random bits, readable aloud: `k3q7-9xwa-m2fd-tr6b`. */
export function generateTemporaryPassword(): string {
  return generateBackupCode().toLowerCase();
}

/** Constant-time check of `password` against a stored `hashPassword` result. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [, n, r, p, saltText, keyText] = parts as [string, string, string, string, string, string];
  const expected = Buffer.from(keyText, 'base64url');
  const options = { N: Number(n), r: Number(r), p: Number(p) };
  const key = await scryptAsync(password, Buffer.from(saltText, 'base64url'), expected.length, {
    ...options,
    maxmem: 128 * options.N * options.r * 2,
  });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/**
 * A valid hash of a random password, checked against when the e-mail is unknown so that a
 * sign-in attempt takes as long whether or not the account exists.
 */
let decoyHash: Promise<string> | undefined;
export function passwordDecoyHash(): Promise<string> {
  decoyHash ??= hashPassword(randomBytes(16).toString('hex'));
  return decoyHash;
}
