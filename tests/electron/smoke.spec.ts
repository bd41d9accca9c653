import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { _electron as electron, expect, test } from '@playwright/test';
import { electronBinary } from './electron-binary';

const binary = electronBinary();
const nativeBinding = path.resolve(
  __dirname,
  '..',
  '..',
  'build',
  'electron-native',
  'better_sqlite3.node',
);

test.describe('Electron desktop shell', () => {
  test.beforeAll(() => {
    if (!binary) {
      console.log(
        'SKIPPED: Electron smoke test: the Electron binary is not installed on this machine ' +
          '(it downloads from GitHub, which is unreachable here). The same renderer and router are ' +
          'tested in Chromium over the loopback web host.',
      );
    } else if (!fs.existsSync(nativeBinding)) {
      console.log(
        'SKIPPED: Electron smoke test: run npm run rebuild:electron to build better-sqlite3 for Electron first.',
      );
    }
  });

  test('opens the console window, isolated and sandboxed, on the first-run page', async () => {
    test.skip(
      !binary || !fs.existsSync(nativeBinding),
      'Electron binary or its better-sqlite3 build is not available here',
    );
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'org2fa-electron-'));
    const app = await electron.launch({
      executablePath: binary!,
      args: [path.resolve(__dirname, '..', '..')],
      env: { ...process.env, ORG2FA_DB: path.join(dir, 'desktop.sqlite') },
    });
    try {
      const window = await app.firstWindow();
      await expect(window.getByRole('heading', { name: 'Set up your organization' })).toBeVisible();
      // No Node in the page, and only the contract bridge on window.
      expect(
        await window.evaluate(() => typeof (globalThis as { require?: unknown }).require),
      ).toBe('undefined');
      expect(
        await window.evaluate(() => Object.keys((window as unknown as { api: object }).api).sort()),
      ).toEqual(['invoke', 'on']);
      expect(
        await window.evaluate(() => typeof (globalThis as { process?: unknown }).process),
      ).toBe('undefined');
    } finally {
      await app.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
