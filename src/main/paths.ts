import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
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

export const SETTINGS_FILE_NAME = 'settings.json';

/**
 * The console's own settings, `settings.json` in the per-user data folder, shared by the desktop
 * app and the CLI: which database (a SQLite file or a postgres:// URL) and, for a shared
 * PostgreSQL database, where the org's key file is.
 */
const consoleSettingsSchema = z
  .object({
    database: z.string().min(1).optional(),
    keyFile: z.string().min(1).optional(),
  })
  .strict();
export type ConsoleSettings = z.infer<typeof consoleSettingsSchema>;

export function readConsoleSettings(env: NodeJS.ProcessEnv = process.env): ConsoleSettings {
  const file = path.join(userDataDir(env), SETTINGS_FILE_NAME);
  if (!fs.existsSync(file)) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file} is not valid JSON: ${(error as Error).message}`);
  }
  const result = consoleSettingsSchema.safeParse(parsed);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new Error(`${file}: ${issue.path.join('.') || 'settings'}: ${issue.message}`);
  }
  return result.data;
}

/** `--db`, else `ORG2FA_DB`, else `database` in settings.json, else the desktop app's file. */
export function resolveDbPath(
  flag: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): string {
  const named = flag || env.ORG2FA_DB || readConsoleSettings(env).database;
  // A postgres:// URL names a server, not a path: it is taken as given.
  if (named && isPostgresUrl(named)) return named;
  return path.resolve(named || path.join(userDataDir(env), DB_FILE_NAME));
}
