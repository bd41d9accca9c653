import { describe, expect, it, vi } from 'vitest';
import {
  applyPermissionPolicy,
  hardenWebContents,
  isTrustedSender,
  secureWebPreferences,
  type HardenableWebContents,
  type PermissionPolicySession,
  type SenderFrame,
} from './electron-hardening';

/** Records what hardening registers, so a test can fire the events Electron would. */
class FakeWebContents implements HardenableWebContents {
  listeners = new Map<string, Array<(event: { preventDefault(): void }) => void>>();
  windowOpenHandler: (() => { action: 'deny' }) | null = null;
  on(event: string, listener: (event: { preventDefault(): void }) => void) {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }
  setWindowOpenHandler(handler: () => { action: 'deny' }) {
    this.windowOpenHandler = handler;
  }
  /** Fires an event the way Electron does; true when some listener refused its default action. */
  fire(event: string): boolean {
    let prevented = false;
    for (const listener of this.listeners.get(event) ?? []) {
      listener({ preventDefault: () => (prevented = true) });
    }
    return prevented;
  }
}

type RequestHandler = Parameters<PermissionPolicySession['setPermissionRequestHandler']>[0];
type CheckHandler = Parameters<PermissionPolicySession['setPermissionCheckHandler']>[0];

class FakeSession implements PermissionPolicySession {
  requestHandler: RequestHandler | null = null;
  checkHandler: CheckHandler | null = null;
  setPermissionRequestHandler(handler: RequestHandler) {
    this.requestHandler = handler;
  }
  setPermissionCheckHandler(handler: CheckHandler) {
    this.checkHandler = handler;
  }
}

/** A spread of Electron's permission names, the dangerous ones first; one is ours. */
const PERMISSIONS = [
  'media',
  'geolocation',
  'notifications',
  'clipboard-read',
  'openExternal',
  'display-capture',
  'midiSysex',
  'hid',
  'serial',
  'usb',
  'fileSystem',
  'pointerLock',
  'fullscreen',
  'idle-detection',
  'window-management',
  'storage-access',
  'local-fonts',
  'unknown',
  'clipboard-sanitized-write',
];

describe('secureWebPreferences', () => {
  it('sets every security flag explicitly, relying on no Electron default', () => {
    expect(secureWebPreferences('/app/out/preload/index.js')).toEqual({
      preload: '/app/out/preload/index.js',
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
    });
  });
});

describe('hardenWebContents', () => {
  it('refuses navigation, redirects and webview attachment', () => {
    const contents = new FakeWebContents();
    hardenWebContents(contents);
    expect({
      'will-navigate': contents.fire('will-navigate'),
      'will-redirect': contents.fire('will-redirect'),
      'will-attach-webview': contents.fire('will-attach-webview'),
    }).toEqual({ 'will-navigate': true, 'will-redirect': true, 'will-attach-webview': true });
  });

  it('refuses every new window, whatever the page asks for', () => {
    const contents = new FakeWebContents();
    hardenWebContents(contents);
    expect(contents.windowOpenHandler).not.toBeNull();
    expect(contents.windowOpenHandler!()).toEqual({ action: 'deny' });
  });
});

describe('applyPermissionPolicy', () => {
  it('grants a permission request only for writing to the clipboard', () => {
    const session = new FakeSession();
    applyPermissionPolicy(session);
    const granted = PERMISSIONS.filter((permission) => {
      const callback = vi.fn();
      session.requestHandler!({}, permission, callback);
      // Electron waits for the callback: a request left unanswered would hang the page.
      expect([permission, callback.mock.calls.length]).toEqual([permission, 1]);
      return callback.mock.calls[0]![0] === true;
    });
    expect(granted).toEqual(['clipboard-sanitized-write']);
  });

  it('answers permission checks by the same rule as requests', () => {
    const session = new FakeSession();
    applyPermissionPolicy(session);
    const granted = PERMISSIONS.filter((permission) => session.checkHandler!({}, permission));
    expect(granted).toEqual(['clipboard-sanitized-write']);
  });
});

describe('isTrustedSender', () => {
  const rendererUrl = 'file:///app/out/renderer/index.html';

  /** Like Electron's BrowserWindow: webContents throws once the window is destroyed. */
  function consoleWindow(mainFrame: SenderFrame, destroyed = false) {
    return {
      isDestroyed: () => destroyed,
      get webContents() {
        if (destroyed) throw new TypeError('Object has been destroyed');
        return { mainFrame };
      },
    };
  }

  it("accepts the console window's main frame on the renderer page, with or without a #fragment", () => {
    const mainFrame = { url: rendererUrl };
    const window = consoleWindow(mainFrame);
    expect(isTrustedSender(mainFrame, window, rendererUrl)).toBe(true);
    mainFrame.url = `${rendererUrl}#/audit`;
    expect(isTrustedSender(mainFrame, window, rendererUrl)).toBe(true);
  });

  it('refuses a call with no sending frame (it was already gone)', () => {
    expect(isTrustedSender(null, consoleWindow({ url: rendererUrl }), rendererUrl)).toBe(false);
  });

  it('refuses a subframe or another window, even showing the renderer page', () => {
    const window = consoleWindow({ url: rendererUrl });
    expect(isTrustedSender({ url: rendererUrl }, window, rendererUrl)).toBe(false);
  });

  it('refuses the main frame once it shows any other page', () => {
    const mainFrame = { url: rendererUrl };
    const window = consoleWindow(mainFrame);
    for (const url of [
      'https://evil.example/',
      'file:///tmp/elsewhere.html',
      `${rendererUrl}?from=evil`,
      'data:text/html,<h1>hi</h1>',
      'about:blank',
    ]) {
      mainFrame.url = url;
      expect([url, isTrustedSender(mainFrame, window, rendererUrl)]).toEqual([url, false]);
    }
  });

  it('refuses every frame once the window is destroyed, without touching its webContents', () => {
    const mainFrame = { url: rendererUrl };
    expect(isTrustedSender(mainFrame, consoleWindow(mainFrame, true), rendererUrl)).toBe(false);
  });
});
