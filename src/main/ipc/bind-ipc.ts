import type { IpcMain, IpcMainInvokeEvent, WebContents, WebFrameMain } from 'electron';
import { callChannel, pushChannel } from '../../shared/bridge';
import { callNames } from '../../shared/contract';
import { errorEnvelope, type Envelope } from '../../shared/envelope';
import type { PushBus } from '../push-bus';
import type { Router, SessionHandle } from '../router';
import type { ClientInfo } from '../client-info';

export interface IpcBindingOptions {
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>;
  router: Router;
  push: PushBus;
  /** True only for our own window's top frame showing our own renderer. */
  isTrustedSender(frame: WebFrameMain | null): boolean;
  client: ClientInfo;
}

/**
 * One `ipcMain.handle` per contract call, generated from the contract. Each checks the sending
 * frame before anything else, then hands the call to the same router every transport uses.
 * Sessions are kept per WebContents, in main: the renderer never holds a session token.
 */
export function bindIpc(options: IpcBindingOptions): () => void {
  const sessions = new Map<number, { handle: SessionHandle; contents: WebContents }>();

  function sessionFor(contents: WebContents): SessionHandle {
    let entry = sessions.get(contents.id);
    if (!entry) {
      entry = { handle: { token: null }, contents };
      sessions.set(contents.id, entry);
      const id = contents.id;
      contents.once('destroyed', () => sessions.delete(id));
    }
    return entry.handle;
  }

  for (const name of callNames) {
    options.ipcMain.handle(
      callChannel(name),
      async (event: IpcMainInvokeEvent, input: unknown): Promise<Envelope<unknown>> => {
        if (!options.isTrustedSender(event.senderFrame)) {
          return errorEnvelope({
            code: 'FORBIDDEN',
            message: 'Calls are accepted only from the console window.',
          });
        }
        return options.router.dispatch(name, input, {
          client: options.client,
          session: sessionFor(event.sender),
        });
      },
    );
  }

  const unsubscribe = options.push.subscribe((message) => {
    for (const { handle, contents } of sessions.values()) {
      if (message.sessionToken !== undefined && message.sessionToken !== handle.token) continue;
      if (!contents.isDestroyed()) contents.send(pushChannel(message.event), message.payload);
    }
  });

  return () => {
    unsubscribe();
    for (const name of callNames) options.ipcMain.removeHandler(callChannel(name));
  };
}
