import type { IpcMainInvokeEvent, WebContents, WebFrameMain } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { callChannel } from '../../shared/bridge';
import { callNames } from '../../shared/contract';
import { okEnvelope, type Envelope } from '../../shared/envelope';
import { createPushBus } from '../push-bus';
import type { Router } from '../router';
import { bindIpc, type IpcBindingOptions } from './bind-ipc';

type InvokeListener = (event: IpcMainInvokeEvent, input: unknown) => Promise<Envelope<unknown>>;
type IpcMainLike = IpcBindingOptions['ipcMain'];

/** Keeps what bindIpc registers, so a test can invoke a channel as Electron would. */
class FakeIpcMain implements IpcMainLike {
  handlers = new Map<string, InvokeListener>();
  handle(channel: string, listener: InvokeListener) {
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string) {
    this.handlers.delete(channel);
  }
}

const trustedFrame = { url: 'file:///app/out/renderer/index.html' };
const client = { ip: '127.0.0.1', userAgent: 'Org 2FA Console test' };

/**
 * bindIpc reads only senderFrame and sender (its id, once('destroyed'), isDestroyed, send);
 * the rest of Electron's event and WebContents never matters here, hence the casts.
 */
function invokeEvent(frame: object | null, contentsId = 1): IpcMainInvokeEvent {
  const sender = { id: contentsId, once: () => sender, isDestroyed: () => false, send() {} };
  return {
    senderFrame: frame as WebFrameMain | null,
    sender: sender as unknown as WebContents,
  } as IpcMainInvokeEvent;
}

function bind() {
  const ipcMain = new FakeIpcMain();
  const dispatch = vi.fn<Router['dispatch']>(async (name) => okEnvelope({ answered: name }));
  const isTrustedSender = vi.fn((frame: object | null) => frame === trustedFrame);
  const unbind = bindIpc({
    ipcMain,
    router: { dispatch },
    push: createPushBus(),
    isTrustedSender,
    client,
  });
  const invoke = (name: string, frame: object | null, input: unknown = {}) => {
    const handler = ipcMain.handlers.get(callChannel(name));
    if (!handler) throw new Error(`no IPC handler for ${name}`);
    return handler(invokeEvent(frame), input);
  };
  return { ipcMain, dispatch, isTrustedSender, unbind, invoke };
}

describe('bindIpc', () => {
  it('refuses every call from an untrusted frame with FORBIDDEN, never reaching the router', async () => {
    const { dispatch, isTrustedSender, invoke } = bind();
    const iframe = { url: trustedFrame.url };
    for (const name of callNames) {
      expect(await invoke(name, iframe)).toEqual({
        ok: false,
        error: { code: 'FORBIDDEN', message: 'Calls are accepted only from the console window.' },
      });
    }
    expect(await invoke('app.bootstrap', null)).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(isTrustedSender).toHaveBeenCalledWith(iframe);
    expect(isTrustedSender).toHaveBeenCalledWith(null);
    expect(dispatch).not.toHaveBeenCalled();
  });

  it('hands a call from the trusted frame to the router, with the client and a main-side session', async () => {
    const { dispatch, invoke } = bind();
    const input = { email: 'ada@acme.test', password: 'correct horse battery' };
    expect(await invoke('auth.signIn', trustedFrame, input)).toEqual({
      ok: true,
      data: { answered: 'auth.signIn' },
    });
    expect(dispatch).toHaveBeenCalledTimes(1);
    const [name, passedInput, context] = dispatch.mock.calls[0]!;
    expect({ name, passedInput, context }).toEqual({
      name: 'auth.signIn',
      passedInput: input,
      context: { client, session: { token: null } },
    });
  });

  it('removes every handler it registered when unbound', () => {
    const { ipcMain, unbind } = bind();
    expect(ipcMain.handlers.size).toBe(callNames.length);
    unbind();
    expect(ipcMain.handlers.size).toBe(0);
  });
});
