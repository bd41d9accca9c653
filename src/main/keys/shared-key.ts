import { readConsoleSettings } from '../paths';
import { decodeKey, KeyFileError, loadOrCreateKeyFile, type KeyMaterial } from './key-file';

/**
 * The organization's key for a shared PostgreSQL database: every console must hold the same one,
 * handed out of band. `ORG2FA_KEY` carries it directly (for services and containers);
 * `ORG2FA_KEY_FILE` (or `keyFile` in settings.json) names a key file, created there on first use
 * by the first console.
 */
export function sharedKey(env: NodeJS.ProcessEnv): KeyMaterial {
  if (env.ORG2FA_KEY) {
    return {
      master: decodeKey(env.ORG2FA_KEY, 'ORG2FA_KEY'),
      source: 'environment',
      location: 'ORG2FA_KEY',
    };
  }
  const keyFile = env.ORG2FA_KEY_FILE || readConsoleSettings(env).keyFile;
  if (keyFile) return loadOrCreateKeyFile(keyFile);
  throw new KeyFileError(
    'A shared PostgreSQL database needs the organization’s key, the same on every console: set ' +
      'ORG2FA_KEY_FILE (or keyFile in settings.json) to the key file your team shares (the first ' +
      'console creates it there), or ORG2FA_KEY to its contents.',
  );
}
