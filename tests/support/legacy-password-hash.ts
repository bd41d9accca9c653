import { randomBytes, scrypt } from 'node:crypto';

/** A hash as older versions stored generated temporary passwords: scrypt at N = 2^10. */
export async function legacyCheapHash(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await new Promise<Buffer>((resolve, reject) =>
    scrypt(password, salt, 32, { N: 1 << 10, r: 8, p: 1 }, (error, derived) =>
      error ? reject(error) : resolve(derived),
    ),
  );
  return ['scrypt', 1 << 10, 8, 1, salt.toString('base64url'), key.toString('base64url')].join('$');
}
