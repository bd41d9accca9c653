import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveDbPath, userDataDir } from './paths';

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
});
