import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  session,
  type WebContents,
  type WebFrameMain,
  type WebPreferences,
} from 'electron';
import { createApp } from './app';
import { bindIpc } from './ipc/bind-ipc';
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

export async function startDesktop(): Promise<void> {
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));
  await app.whenReady();
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) =>
    callback(false),
  );
  session.defaultSession.setPermissionCheckHandler(() => false);

  const dbPath = process.env.ORG2FA_DB || path.join(app.getPath('userData'), DB_FILE_NAME);
  const core = await createApp({
    dbPath,
    nativeBinding: electronNativeBinding(),
    logger: consoleLogger,
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
