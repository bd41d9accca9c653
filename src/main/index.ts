import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  safeStorage,
  session,
  type WebFrameMain,
} from 'electron';
import { createApp } from './app';
import {
  applyPermissionPolicy,
  hardenWebContents,
  isTrustedSender,
  secureWebPreferences,
} from './electron-hardening';
import { bindIpc } from './ipc/bind-ipc';
import {
  decodeKey,
  defaultKeyFile,
  encodeKey,
  loadOrCreateKeyFile,
  MASTER_KEY_BYTES,
  type KeyMaterial,
} from './keys/key-file';
import { consoleLogger } from './logger';
import { desktopClient } from './machine-client';
import { resolveDbPath } from './paths';

/** The better-sqlite3 addon built for Electron's ABI (npm run rebuild:electron), if present. */
function electronNativeBinding(): string | undefined {
  const candidates = [
    path.join(process.resourcesPath ?? '', 'native', 'better_sqlite3.node'),
    path.join(app.getAppPath(), 'build', 'electron-native', 'better_sqlite3.node'),
  ];
  return candidates.find((file) => fs.existsSync(file));
}

/**
 * The database's master key, kept in the OS keychain through safeStorage. A key file already
 * beside the database (made by the CLI) or named by ORG2FA_KEY_FILE wins, so both open the same
 * data; without a usable keychain (Linux with no keyring) it falls back to a key file and says so.
 */
export function desktopKeys(dbFile: string): KeyMaterial {
  const keyFile = defaultKeyFile(dbFile);
  if (process.env.ORG2FA_KEY_FILE || fs.existsSync(keyFile)) return loadOrCreateKeyFile(keyFile);
  const sealedFile = `${dbFile}.keychain`;
  const plainTextBackend =
    process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text';
  if (!safeStorage.isEncryptionAvailable() || plainTextBackend) {
    consoleLogger.info(
      `No OS keychain is available; the database key is kept in the key file ${keyFile} (mode 0600).`,
    );
    return loadOrCreateKeyFile(keyFile);
  }
  if (!fs.existsSync(sealedFile)) {
    const sealed = safeStorage.encryptString(encodeKey(randomBytes(MASTER_KEY_BYTES)));
    fs.writeFileSync(sealedFile, sealed, { flag: 'wx', mode: 0o600 });
  }
  const master = decodeKey(safeStorage.decryptString(fs.readFileSync(sealedFile)), sealedFile);
  return { master, source: 'os-keychain', location: sealedFile };
}

export async function startDesktop(): Promise<void> {
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));
  await app.whenReady();
  applyPermissionPolicy(session.defaultSession);

  // ORG2FA_DB, else settings.json's database, else the file in the user-data folder.
  const dbPath = resolveDbPath(undefined, process.env);
  const core = await createApp({
    dbPath,
    nativeBinding: electronNativeBinding(),
    logger: consoleLogger,
    keys: desktopKeys,
    // Exports land in the user's Downloads folder, as a browser's downloads would.
    exports: { mode: 'save', dir: app.getPath('downloads') },
  });

  const rendererIndex = path.join(__dirname, '../renderer/index.html');
  const rendererUrl = pathToFileURL(rendererIndex).href;
  const window = new BrowserWindow({
    width: 1280,
    height: 860,
    minWidth: 960,
    minHeight: 640,
    show: false,
    title: 'Org 2FA Console',
    webPreferences: {
      ...secureWebPreferences(path.join(__dirname, '../preload/index.js')),
      // The two flags everything else rests on, restated (same values) where the window is made:
      // a reviewer, and Electronegativity, which reads only this call, see them without
      // following secureWebPreferences. index.test.ts pins that the result equals it exactly.
      contextIsolation: true,
      sandbox: true,
    },
  });
  const unbind = bindIpc({
    ipcMain,
    router: core.router,
    push: core.push,
    isTrustedSender: (frame: WebFrameMain | null) => isTrustedSender(frame, window, rendererUrl),
    client: desktopClient(app.getVersion(), process.versions.electron ?? 'unknown'),
  });
  window.once('ready-to-show', () => window.show());
  await window.loadFile(rendererIndex);

  app.on('window-all-closed', () => {
    unbind();
    void core.close().finally(() => app.quit());
  });
}

startDesktop().catch((error: unknown) => {
  consoleLogger.error('Org 2FA Console failed to start', error);
  dialog.showErrorBox(
    'Org 2FA Console failed to start',
    error instanceof Error ? error.message : String(error),
  );
  app.exit(1);
});
