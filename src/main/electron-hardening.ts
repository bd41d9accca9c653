// Types only, erased at build: this module must load under plain Node (vitest) without the
// Electron binary, so it never imports electron's runtime.
// eslint-disable-next-line no-restricted-imports -- type-only import, see above
import type { WebPreferences } from 'electron';

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

/** The part of Electron's WebContents that hardening touches; a real WebContents satisfies it. */
export interface HardenableWebContents {
  on(
    event: 'will-navigate' | 'will-redirect' | 'will-attach-webview',
    listener: (event: { preventDefault(): void }) => void,
  ): unknown;
  setWindowOpenHandler(handler: () => { action: 'deny' }): void;
}

/** No navigation away, no new windows, no webviews: the console is one page. */
export function hardenWebContents(contents: HardenableWebContents): void {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

/** Copying backup codes and the manual key is the one thing the page may ask for. */
export const ALLOWED_PERMISSION = 'clipboard-sanitized-write';

export function isPermissionAllowed(permission: string): boolean {
  return permission === ALLOWED_PERMISSION;
}

/** The part of Electron's Session the permission policy sets; a real Session satisfies it. */
export interface PermissionPolicySession {
  setPermissionRequestHandler(
    handler: (contents: unknown, permission: string, callback: (granted: boolean) => void) => void,
  ): void;
  setPermissionCheckHandler(handler: (contents: unknown, permission: string) => boolean): void;
}

/**
 * Requests (a prompt would appear) and checks (e.g. navigator.permissions.query) follow one
 * rule, so the page never sees a permission as granted that a request would refuse.
 */
export function applyPermissionPolicy(session: PermissionPolicySession): void {
  session.setPermissionRequestHandler((_contents, permission, callback) =>
    callback(isPermissionAllowed(permission)),
  );
  session.setPermissionCheckHandler((_contents, permission) => isPermissionAllowed(permission));
}

/** What the trusted-sender rule needs to know about a frame and the console window. */
export interface SenderFrame {
  readonly url: string;
}
export interface ConsoleWindow<F extends SenderFrame> {
  isDestroyed(): boolean;
  readonly webContents: { readonly mainFrame: F };
}

/**
 * True only for our own window's top frame showing our own renderer page (any #fragment, which
 * the renderer's router may use). A subframe, another window's frame, a frame that navigated
 * elsewhere, or a window already destroyed is refused. Electron throws on a destroyed window's
 * webContents, so isDestroyed() is asked first.
 */
export function isTrustedSender<F extends SenderFrame>(
  frame: F | null,
  window: ConsoleWindow<F>,
  rendererUrl: string,
): boolean {
  return (
    frame !== null &&
    !window.isDestroyed() &&
    frame === window.webContents.mainFrame &&
    frame.url.split('#')[0] === rendererUrl
  );
}
