import { deriveKeys } from './derived-keys';
import type { KeyMaterial } from './key-file';
import { getMeta, setMeta } from '../store/meta.store';
import type { Db } from '../store/schema';

export class KeyMismatchError extends Error {
  constructor(location: string) {
    super(
      `The key at ${location} is not the key this database was written with, so its TOTP secrets ` +
        'cannot be read. Point ORG2FA_KEY_FILE at the right key file (see the README: keys).',
    );
    this.name = 'KeyMismatchError';
  }
}

/**
 * Records the key's fingerprint in a new database; refuses to run on one written with another
 * key, before anything fails in the middle of a sign-in.
 */
export async function assertKeyMatchesDatabase(db: Db, keys: KeyMaterial): Promise<void> {
  const { fingerprint } = deriveKeys(keys);
  const stored = await getMeta(db, 'key_fingerprint');
  if (stored === undefined) await setMeta(db, 'key_fingerprint', fingerprint);
  else if (stored !== fingerprint) throw new KeyMismatchError(keys.location);
}
