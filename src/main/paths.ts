import os from 'node:os';
import path from 'node:path';
import { isPostgresUrl } from './store/target';

/** The desktop app's name; Electron derives its per-user data folder from it. */
export const PRODUCT_NAME = 'Org 2FA Console';
export const DB_FILE_NAME = 'org2fa.sqlite';

/**
 * The folder Electron's `app.getPath('userData')` gives for PRODUCT_NAME, computed without
 * Electron so the CLI and the desktop app open the same database by default.
 */
export function userDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform = process.platform,
): string {
  const home = os.homedir();
  if (platform === 'win32') {
    return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), PRODUCT_NAME);
  }
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', PRODUCT_NAME);
  return path.join(env.XDG_CONFIG_HOME || path.join(home, '.config'), PRODUCT_NAME);
}

/** `--db`, else `ORG2FA_DB`, else the desktop app's database file. */
export function resolveDbPath(
  flag: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): string {
  const named = flag || env.ORG2FA_DB;
  // A postgres:// URL names a server, not a path: it is taken as given.
  if (named && isPostgresUrl(named)) return named;
  return path.resolve(named || path.join(userDataDir(env), DB_FILE_NAME));
}
