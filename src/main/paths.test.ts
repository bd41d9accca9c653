import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import { makeTempDir } from '../../tests/support/temp-app';
import { sharedKey } from './keys/shared-key';
import { readConsoleSettings, resolveDbPath, SETTINGS_FILE_NAME, userDataDir } from './paths';

describe('database location', () => {
  it('follows Electron’s per-OS user-data folder', () => {
    expect(userDataDir({}, 'linux')).toBe(path.join(os.homedir(), '.config', 'Org 2FA Console'));
    expect(userDataDir({ XDG_CONFIG_HOME: '/xdg' }, 'linux')).toBe('/xdg/Org 2FA Console');
    expect(userDataDir({}, 'darwin')).toBe(
      path.join(os.homedir(), 'Library', 'Application Support', 'Org 2FA Console'),
    );
    expect(userDataDir({ APPDATA: 'C:\\Users\\ada\\AppData\\Roaming' }, 'win32')).toContain(
      'Org 2FA Console',
    );
  });

  it('prefers --db, then ORG2FA_DB, then the desktop app’s file', () => {
    expect(resolveDbPath('/a.sqlite', { ORG2FA_DB: '/b.sqlite' })).toBe('/a.sqlite');
    expect(resolveDbPath(undefined, { ORG2FA_DB: '/b.sqlite' })).toBe('/b.sqlite');
    expect(resolveDbPath(undefined, { XDG_CONFIG_HOME: '/xdg' })).toBe(
      process.platform === 'linux'
        ? '/xdg/Org 2FA Console/org2fa.sqlite'
        : resolveDbPath(undefined, { XDG_CONFIG_HOME: '/xdg' }),
    );
  });

  it('takes a postgres:// URL as given, and a database and key file from settings.json', () => {
    const url = 'postgres://console@db.acme.test:5432/org2fa';
    expect(resolveDbPath(url, {})).toBe(url);
    expect(resolveDbPath(undefined, { ORG2FA_DB: url })).toBe(url);

    const temp = makeTempDir();
    try {
      const env = { XDG_CONFIG_HOME: temp.dir };
      const folder = userDataDir(env);
      fs.mkdirSync(folder, { recursive: true });
      const settings = path.join(folder, SETTINGS_FILE_NAME);
      const keyFile = path.join(temp.dir, 'org.key');
      fs.writeFileSync(settings, JSON.stringify({ database: url, keyFile }));
      if (process.platform === 'linux') {
        expect(resolveDbPath(undefined, env)).toBe(url);
        // --db and ORG2FA_DB still win over the settings file.
        expect(resolveDbPath('/a.sqlite', env)).toBe('/a.sqlite');
        expect(sharedKey(env)).toMatchObject({ source: 'key-file', location: keyFile });
        fs.writeFileSync(settings, '{"database": ');
        expect(() => readConsoleSettings(env)).toThrow(/settings.json is not valid JSON/);
        fs.writeFileSync(settings, JSON.stringify({ databse: url }));
        expect(() => readConsoleSettings(env)).toThrow(/settings.json: settings: Unrecognized key/);
      }
    } finally {
      temp.cleanup();
    }
  });

  it('refuses a shared PostgreSQL database without the org’s key, naming where to put it', () => {
    expect(() => sharedKey({ XDG_CONFIG_HOME: '/nonexistent' })).toThrow(
      /needs the organization’s key.*ORG2FA_KEY_FILE/,
    );
  });
});
