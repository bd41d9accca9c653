import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { callChannel } from '../shared/bridge';
import { callNames } from '../shared/contract';
import { makeTempDir } from '../../tests/support/temp-app';
import { secureWebPreferences } from './electron-hardening';

/** Stand-ins for the parts of Electron the thin shell touches; they record what it asks for. */
const electron = vi.hoisted(() => {
  type Listener = (...args: unknown[]) => unknown;
  class FakeWebContents {
    static nextId = 1;
    id = FakeWebContents.nextId++;
    listeners = new Map<string, Listener[]>();
    windowOpenHandler: Listener | null = null;
    mainFrame = { url: 'about:blank' };
    sent: Array<[string, unknown]> = [];
    on(event: string, listener: Listener) {
      this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
      return this;
    }
    once(event: string, listener: Listener) {
      return this.on(event, listener);
    }
    emit(event: string, ...args: unknown[]) {
      for (const listener of this.listeners.get(event) ?? []) listener(...args);
    }
    setWindowOpenHandler(handler: Listener) {
      this.windowOpenHandler = handler;
    }
    isDestroyed() {
      return false;
    }
    send(channel: string, payload: unknown) {
      this.sent.push([channel, payload]);
    }
  }
  const state = {
    windows: [] as Array<{
      options: { webPreferences: Record<string, unknown> };
      webContents: FakeWebContents;
      loadedFile?: string;
    }>,
    appListeners: new Map<string, Listener>(),
    ipcHandlers: new Map<string, Listener>(),
    permissionRequestHandler: null as Listener | null,
    permissionCheckHandler: null as Listener | null,
    userData: '',
  };
  class BrowserWindow {
    webContents = new FakeWebContents();
    entry: (typeof state.windows)[number];
    constructor(options: { webPreferences: Record<string, unknown> }) {
      this.entry = { options, webContents: this.webContents };
      state.windows.push(this.entry);
    }
    async loadFile(file: string) {
      this.entry.loadedFile = file;
      this.webContents.mainFrame.url = `file://${file}`;
    }
    once() {}
    show() {}
    isDestroyed() {
      return false;
    }
  }
  return { state, FakeWebContents, BrowserWindow };
});

vi.mock('electron', () => ({
  app: {
    whenReady: () => Promise.resolve(),
    on: (event: string, listener: (...args: unknown[]) => unknown) =>
      electron.state.appListeners.set(event, listener),
    getPath: () => electron.state.userData,
    getAppPath: () => process.cwd(),
    getVersion: () => '0.1.0',
    quit: vi.fn(),
    exit: vi.fn(),
  },
  BrowserWindow: electron.BrowserWindow,
  ipcMain: {
    handle: (channel: string, listener: (...args: unknown[]) => unknown) =>
      electron.state.ipcHandlers.set(channel, listener),
    removeHandler: (channel: string) => electron.state.ipcHandlers.delete(channel),
  },
  session: {
    defaultSession: {
      setPermissionRequestHandler: (h: (...args: unknown[]) => unknown) =>
        (electron.state.permissionRequestHandler = h),
      setPermissionCheckHandler: (h: (...args: unknown[]) => unknown) =>
        (electron.state.permissionCheckHandler = h),
    },
  },
  dialog: { showErrorBox: vi.fn() },
  // A stand-in keychain: "encrypts" by reversing, so a test can tell sealed from plain bytes.
  safeStorage: {
    isEncryptionAvailable: () => true,
    getSelectedStorageBackend: () => 'gnome_libsecret',
    encryptString: (text: string) => Buffer.from(`sealed:${[...text].reverse().join('')}`),
    decryptString: (sealed: Buffer) =>
      [...sealed.toString().slice('sealed:'.length)].reverse().join(''),
  },
}));

describe('Electron shell (thin): wires hardening, keys and IPC together', () => {
  const temp = makeTempDir();
  beforeAll(async () => {
    electron.state.userData = temp.dir;
    process.env.ORG2FA_DB = path.join(temp.dir, 'desktop.sqlite');
    await import('./index');
    await vi.waitFor(() => expect(electron.state.windows[0]?.loadedFile).toBeDefined(), {
      timeout: 10_000,
    });
  });
  afterAll(() => {
    delete process.env.ORG2FA_DB;
    temp.cleanup();
  });

  it('creates exactly one window, with the secure preferences and the bundled preload', () => {
    expect(electron.state.windows).toHaveLength(1);
    const prefs = electron.state.windows[0]!.options.webPreferences;
    expect(path.basename(String(prefs.preload))).toBe('index.js');
    // The flags themselves are pinned in electron-hardening.test.ts.
    expect(prefs).toEqual(secureWebPreferences(String(prefs.preload)));
    expect(electron.state.windows[0]!.loadedFile).toMatch(/renderer[/\\]index\.html$/);
  });

  it('hardens every web contents the app creates, not only the console window', () => {
    const created = electron.state.appListeners.get('web-contents-created');
    expect(created).toBeDefined();
    const contents = new electron.FakeWebContents();
    created!({}, contents);
    expect([...contents.listeners.keys()].sort()).toEqual([
      'will-attach-webview',
      'will-navigate',
      'will-redirect',
    ]);
    const preventDefault = vi.fn();
    contents.emit('will-navigate', { preventDefault }, 'https://evil.example/');
    expect(preventDefault).toHaveBeenCalledTimes(1);
    expect(contents.windowOpenHandler!({ url: 'https://evil.example/' })).toEqual({
      action: 'deny',
    });
  });

  it('applies the permission policy to the default session, for requests and checks', () => {
    const callback = vi.fn();
    electron.state.permissionRequestHandler!({}, 'media', callback);
    electron.state.permissionRequestHandler!({}, 'clipboard-sanitized-write', callback);
    expect(callback.mock.calls).toEqual([[false], [true]]);
    expect(electron.state.permissionCheckHandler!({}, 'geolocation')).toBe(false);
    expect(electron.state.permissionCheckHandler!({}, 'clipboard-sanitized-write')).toBe(true);
  });

  it('keeps the database key in the OS keychain, not in a plain key file', () => {
    const db = process.env.ORG2FA_DB!;
    expect(fs.existsSync(`${db}.key`)).toBe(false);
    const sealed = fs.readFileSync(`${db}.keychain`, 'utf8');
    expect(sealed.startsWith('sealed:')).toBe(true);
    expect(sealed).not.toContain('org2fa-key-v1:');
    expect(fs.statSync(`${db}.keychain`).mode & 0o777).toBe(0o600);
  });

  it('registers one IPC handler per contract call, and nothing else', () => {
    expect([...electron.state.ipcHandlers.keys()].sort()).toEqual(
      callNames.map(callChannel).sort(),
    );
  });

  it('answers calls from the console window through the real router', async () => {
    const window = electron.state.windows[0]!;
    const handler = electron.state.ipcHandlers.get(callChannel('app.bootstrap'))!;
    const envelope = await handler(
      { senderFrame: window.webContents.mainFrame, sender: window.webContents },
      {},
    );
    expect(envelope).toEqual({ ok: true, data: { orgExists: false, orgName: null } });
  });

  it('refuses calls from another frame, or after the console window left its page', async () => {
    // The rule itself is tested in electron-hardening.test.ts; this pins that index.ts gives it
    // the console window and the renderer's own file URL.
    const window = electron.state.windows[0]!;
    const handler = electron.state.ipcHandlers.get(callChannel('app.bootstrap'))!;
    const forbidden = {
      ok: false,
      error: { code: 'FORBIDDEN', message: 'Calls are accepted only from the console window.' },
    };
    const original = window.webContents.mainFrame.url;
    expect(original).toBe(pathToFileURL(window.loadedFile!).href);
    const otherFrame = { url: original };
    expect(await handler({ senderFrame: otherFrame, sender: window.webContents }, {})).toEqual(
      forbidden,
    );
    window.webContents.mainFrame.url = 'https://evil.example/';
    expect(
      await handler({ senderFrame: window.webContents.mainFrame, sender: window.webContents }, {}),
    ).toEqual(forbidden);
    window.webContents.mainFrame.url = original;
  });

  it('keeps the session in main, per window: sign-in over IPC never hands the renderer a token', async () => {
    const window = electron.state.windows[0]!;
    const invoke = (name: string, input: unknown) =>
      electron.state.ipcHandlers.get(callChannel(name))!(
        { senderFrame: window.webContents.mainFrame, sender: window.webContents },
        input,
      );
    await invoke('org.create', {
      orgName: 'Acme',
      adminName: 'Ada',
      adminEmail: 'ada@acme.test',
      password: 'correct horse battery',
    });
    const signIn = await invoke('auth.signIn', {
      email: 'ada@acme.test',
      password: 'correct horse battery',
    });
    expect(signIn).toEqual({ ok: true, data: { state: 'signed_in' } });
    expect(await invoke('auth.session', {})).toMatchObject({
      ok: true,
      data: { state: 'signed_in', user: { email: 'ada@acme.test' } },
    });
  });
});
