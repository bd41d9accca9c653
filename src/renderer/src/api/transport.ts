import type { Org2faBridge } from '../../../shared/bridge';
import type { CallName } from '../../../shared/contract';
import { errorCodes } from '../../../shared/errors';
import type { Envelope } from '../../../shared/envelope';
import { isPushEventName, type PushEventName, type PushPayload } from '../../../shared/push-events';

/** Moves a call to main and its envelope back: IPC under Electron, HTTP on the web host. */
export interface Transport {
  invoke(name: CallName, input: unknown): Promise<Envelope<unknown>>;
  on<E extends PushEventName>(event: E, listener: (payload: PushPayload<E>) => void): () => void;
}

function ipcTransport(bridge: Org2faBridge): Transport {
  return {
    invoke: (name, input) => bridge.invoke(name, input as never),
    on: (event, listener) => bridge.on(event, listener),
  };
}

function isEnvelope(value: unknown): value is Envelope<unknown> {
  if (typeof value !== 'object' || value === null || !('ok' in value)) return false;
  const record = value as { ok: unknown; error?: { code?: unknown } };
  if (record.ok === true) return 'data' in record;
  return record.ok === false && (errorCodes as readonly unknown[]).includes(record.error?.code);
}

function httpTransport(): Transport {
  let source: EventSource | null = null;
  return {
    async invoke(name, input) {
      let response: Response;
      try {
        response = await fetch(`/api/${encodeURIComponent(name)}`, {
          method: 'POST',
          credentials: 'same-origin',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify(input ?? {}),
        });
      } catch {
        return {
          ok: false,
          error: {
            code: 'INTERNAL',
            message: 'The console is not reachable. Is org2fa serve still running?',
          },
        };
      }
      const body: unknown = await response.json().catch(() => null);
      if (isEnvelope(body)) return body;
      return {
        ok: false,
        error: {
          code: 'INTERNAL',
          message: `Unexpected answer from the console (HTTP ${response.status}).`,
        },
      };
    },
    on(event, listener) {
      if (!isPushEventName(event)) throw new Error(`Unknown event ${event}`);
      source ??= new EventSource('/api/events');
      const forward = (message: MessageEvent<string>) => listener(JSON.parse(message.data));
      source.addEventListener(event, forward);
      return () => source?.removeEventListener(event, forward);
    },
  };
}

export const transport: Transport = window.api ? ipcTransport(window.api) : httpTransport();
