import { describe, expect, it } from 'vitest';
import { hashPassword, PASSWORD_COST, verifyPassword } from './passwords';
import { legacyCheapHash } from '../../../tests/support/legacy-password-hash';

describe('password hashing', () => {
  it('stores scrypt parameters, a salt and a key, never the password', async () => {
    const stored = await hashPassword('correct horse battery staple');
    expect(stored).toMatch(/^scrypt\$32768\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(stored).not.toContain('horse');
  });

  it('salts every hash, so equal passwords hash differently', async () => {
    expect(await hashPassword('same password here')).not.toBe(
      await hashPassword('same password here'),
    );
  });

  it('accepts the password and refuses anything else', async () => {
    const stored = await hashPassword('correct horse battery staple');
    expect(await verifyPassword('correct horse battery staple', stored)).toEqual({
      ok: true,
      needsRehash: false,
    });
    expect((await verifyPassword('correct horse battery stapl', stored)).ok).toBe(false);
    expect((await verifyPassword('', stored)).ok).toBe(false);
    expect((await verifyPassword('correct horse battery staple', 'garbage')).ok).toBe(false);
  });

  it('hashes every password at one cost, and asks for a cheaper stored one to be rehashed', async () => {
    expect(PASSWORD_COST).toEqual({ N: 1 << 15, r: 8, p: 1 });
    const legacy = await legacyCheapHash('k3q7-9xwa-m2fd-tr6b');
    expect(await verifyPassword('k3q7-9xwa-m2fd-tr6b', legacy)).toEqual({
      ok: true,
      needsRehash: true,
    });
    expect(await verifyPassword('wrong', legacy)).toEqual({ ok: false, needsRehash: true });
  });
});
