import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export const MASTER_KEY_BYTES = 32;
const PREFIX = 'org2fa-key-v1:';

/** The one secret from which every encryption and HMAC key of a database is derived. */
export interface KeyMaterial {
  master: Buffer;
  /** Where it came from, for the start-up line and the operations note. */
  source: 'key-file' | 'os-keychain' | 'environment';
  location: string;
}

export class KeyFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeyFileError';
  }
}

/** `ORG2FA_KEY_FILE`, else `<database file>.key` beside the database. */
export function defaultKeyFile(dbFile: string, env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(env.ORG2FA_KEY_FILE || `${dbFile}.key`);
}

export function encodeKey(master: Buffer): string {
  return `${PREFIX}${master.toString('base64')}\n`;
}

export function decodeKey(text: string, location: string): Buffer {
  const trimmed = text.trim();
  if (!trimmed.startsWith(PREFIX))
    throw new KeyFileError(`${location} is not an Org 2FA Console key file.`);
  const master = Buffer.from(trimmed.slice(PREFIX.length), 'base64');
  if (master.length !== MASTER_KEY_BYTES)
    throw new KeyFileError(`${location} holds a key of the wrong length.`);
  return master;
}

/**
 * Reads the key file, or creates it (owner-only, never overwriting) with a fresh random key.
 * A key file other users can read is refused, like ssh refuses a readable private key.
 */
export function loadOrCreateKeyFile(file: string): KeyMaterial {
  const location = path.resolve(file);
  try {
    fs.mkdirSync(path.dirname(location), { recursive: true, mode: 0o700 });
    fs.writeFileSync(location, encodeKey(randomBytes(MASTER_KEY_BYTES)), {
      flag: 'wx',
      mode: 0o600,
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  if (process.platform !== 'win32' && (fs.statSync(location).mode & 0o077) !== 0) {
    throw new KeyFileError(`${location} is readable by other users; run chmod 600 on it.`);
  }
  return {
    master: decodeKey(fs.readFileSync(location, 'utf8'), location),
    source: 'key-file',
    location,
  };
}
