import type { CallInput, CallName } from './contract';
import type { Envelope } from './envelope';
import type { PushEventName, PushPayload } from './push-events';

/** What the Electron preload exposes on `window.api`; nothing else crosses the bridge. */
export interface Org2faBridge {
  invoke<N extends CallName>(name: N, input: CallInput<N>): Promise<Envelope<unknown>>;
  on<E extends PushEventName>(event: E, listener: (payload: PushPayload<E>) => void): () => void;
}

/** IPC channel names, derived from the contract's call names. */
export function callChannel(name: string): string {
  return `org2fa:call:${name}`;
}
export function pushChannel(event: string): string {
  return `org2fa:push:${event}`;
}
