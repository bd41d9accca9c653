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
  type WebContents,
  type WebFrameMain,
  type WebPreferences,
} from 'electron';
import { createApp } from './app';
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
import { DB_FILE_NAME } from './paths';

/** The only preferences a console window is ever created with. */
export function secureWebPreferences(preload: string): WebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInSubFrames: false,
    nodeIntegrationInWorker: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
  };
}

/** No navigation away, no new windows, no webviews: the console is one page. */
export function hardenWebContents(contents: WebContents): void {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

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
  // Copying backup codes and the manual key is the one thing the page may ask for.
  session.defaultSession.setPermissionRequestHandler((_contents, permission, callback) =>
    callback(permission === 'clipboard-sanitized-write'),
  );
  session.defaultSession.setPermissionCheckHandler(
    (_contents, permission) => permission === 'clipboard-sanitized-write',
  );

  const dbPath = process.env.ORG2FA_DB || path.join(app.getPath('userData'), DB_FILE_NAME);
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
    webPreferences: secureWebPreferences(path.join(__dirname, '../preload/index.js')),
  });
  const isTrustedSender = (frame: WebFrameMain | null) =>
    frame !== null &&
    !window.isDestroyed() &&
    frame === window.webContents.mainFrame &&
    frame.url.split('#')[0] === rendererUrl;

  const unbind = bindIpc({
    ipcMain,
    router: core.router,
    push: core.push,
    isTrustedSender,
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
