import { createHmac, hkdfSync } from 'node:crypto';
import type { KeyMaterial } from './key-file';

/** Separate keys per purpose, so no key ever serves two algorithms. */
export interface DerivedKeys {
  /** AES-256-GCM key for TOTP secrets at rest. */
  secretEncryption: Buffer;
  /** HMAC-SHA-256 key for backup-code hashes. */
  backupCodeHmac: Buffer;
  /** A public fingerprint of the master key, stored in the database to catch a wrong key file. */
  fingerprint: string;
}

function derive(master: Buffer, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', master, 'org2fa-console', purpose, 32));
}

export function deriveKeys(keys: KeyMaterial): DerivedKeys {
  return {
    secretEncryption: derive(keys.master, 'totp-secret-encryption'),
    backupCodeHmac: derive(keys.master, 'backup-code-hmac'),
    fingerprint: createHmac('sha256', derive(keys.master, 'key-fingerprint'))
      .update('org2fa')
      .digest('hex'),
  };
}
