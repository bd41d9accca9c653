import type { PushEventName, PushPayload } from '../shared/push-events';

export interface PushMessage<E extends PushEventName = PushEventName> {
  event: E;
  payload: PushPayload<E>;
  /** Session token of the one client meant to see it; undefined for everyone. */
  sessionToken?: string;
}

export type PushListener = (message: PushMessage) => void;

/** Main's fan-out of push events to whichever transports are bound. */
export interface PushBus {
  emit<E extends PushEventName>(event: E, payload: PushPayload<E>, sessionToken?: string): void;
  subscribe(listener: PushListener): () => void;
}

export function createPushBus(): PushBus {
  const listeners = new Set<PushListener>();
  return {
    emit(event, payload, sessionToken) {
      const message = { event, payload, sessionToken } as PushMessage;
      for (const listener of listeners) listener(message);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
