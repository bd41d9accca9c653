import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const BACKUP_CODE_COUNT = 10;
/** Crockford's base32: no I, L, O or U, so codes survive being read aloud or copied by hand. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const CODE_CHARS = 16; // 16 × 5 = 80 random bits
const GROUP = 4;

/** A fresh code, e.g. `7K3Q-9XWA-M2FD-TR6B`. */
export function generateBackupCode(): string {
  const bytes = randomBytes((CODE_CHARS * 5) / 8);
  let bits = 0;
  let value = 0;
  let code = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      code += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return code.match(new RegExp(`.{${GROUP}}`, 'g'))!.join('-');
}

/**
 * The canonical form of what someone typed: upper case, separators dropped, and the letters
 * Crockford maps to digits (I, L → 1; O → 0). Null when it cannot be a backup code.
 */
export function normalizeBackupCode(input: string): string | null {
  const cleaned = input
    .toUpperCase()
    .replace(/[\s-]/g, '')
    .replace(/[IL]/g, '1')
    .replace(/O/g, '0');
  if (cleaned.length !== CODE_CHARS) return null;
  for (const char of cleaned) if (!ALPHABET.includes(char)) return null;
  return cleaned;
}

/** HMAC-SHA-256 keyed by the key store's backup-code key, over the per-code salt and the code. */
export function hashBackupCode(key: Buffer, saltHex: string, normalizedCode: string): string {
  return createHmac('sha256', key)
    .update(Buffer.from(saltHex, 'hex'))
    .update(normalizedCode)
    .digest('hex');
}

export function newBackupCodeSalt(): string {
  return randomBytes(16).toString('hex');
}

export function backupCodeMatches(
  key: Buffer,
  saltHex: string,
  storedHash: string,
  normalizedCode: string,
): boolean {
  const actual = Buffer.from(hashBackupCode(key, saltHex, normalizedCode), 'hex');
  const expected = Buffer.from(storedHash, 'hex');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
