import { describe, expect, it } from 'vitest';
import {
  backupCodeMatches,
  generateBackupCode,
  hashBackupCode,
  newBackupCodeSalt,
  normalizeBackupCode,
} from './backup-codes';

const key = Buffer.alloc(32, 7);

describe('backup codes', () => {
  it('are 16 Crockford base32 characters (80 bits) in groups of four, all different', () => {
    const codes = Array.from({ length: 500 }, generateBackupCode);
    for (const code of codes)
      expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
    expect(new Set(codes).size).toBe(codes.length);
    // Every symbol of the alphabet turns up: the bits are spread, not biased to a few characters.
    expect(new Set(codes.join('').replace(/-/g, '')).size).toBe(32);
  });

  it('forgive how people type them back', () => {
    expect(normalizeBackupCode('7k3q-9xwa-m2fd-tr6b')).toBe('7K3Q9XWAM2FDTR6B');
    expect(normalizeBackupCode(' 7K3Q 9XWA M2FD TR6B ')).toBe('7K3Q9XWAM2FDTR6B');
    expect(normalizeBackupCode('IL0O-0000-0000-0000')).toBe('1100000000000000');
    expect(normalizeBackupCode('7K3Q-9XWA-M2FD-TR6')).toBeNull();
    expect(normalizeBackupCode('7K3Q-9XWA-M2FD-TR6U')).toBeNull();
    expect(normalizeBackupCode('123456')).toBeNull();
  });

  it('are stored as a salted, keyed hash that matches only the same code', () => {
    const code = normalizeBackupCode(generateBackupCode())!;
    const salt = newBackupCodeSalt();
    const hash = hashBackupCode(key, salt, code);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).not.toContain(code.toLowerCase());
    expect(hashBackupCode(key, newBackupCodeSalt(), code)).not.toBe(hash);
    expect(hashBackupCode(Buffer.alloc(32, 8), salt, code)).not.toBe(hash);
    expect(backupCodeMatches(key, salt, hash, code)).toBe(true);
    expect(backupCodeMatches(key, salt, hash, normalizeBackupCode(generateBackupCode())!)).toBe(
      false,
    );
  });
});
