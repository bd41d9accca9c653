import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createSecretBox } from './secret-box';

describe('secret box (AES-256-GCM)', () => {
  const box = createSecretBox(randomBytes(32));
  const secret = Buffer.from('12345678901234567890');

  it('round-trips and never shows the plaintext', () => {
    const sealed = box.seal(secret, 'user-1');
    expect(sealed).toMatch(/^v1:/);
    expect(sealed).not.toContain(secret.toString('base64'));
    expect(box.open(sealed, 'user-1')).toEqual(secret);
    expect(box.seal(secret, 'user-1')).not.toBe(sealed); // fresh IV each time
  });

  it('refuses another owner, another key and any tampering', () => {
    const sealed = box.seal(secret, 'user-1');
    expect(() => box.open(sealed, 'user-2')).toThrow();
    expect(() => createSecretBox(randomBytes(32)).open(sealed, 'user-1')).toThrow();
    const parts = sealed.split(':');
    const flipped = Buffer.from(parts[3]!, 'base64');
    flipped[0] = flipped[0]! ^ 1;
    expect(() =>
      box.open([parts[0], parts[1], parts[2], flipped.toString('base64')].join(':'), 'user-1'),
    ).toThrow();
  });
});
