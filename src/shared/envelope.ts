import type { ErrorBody } from './errors';

/** Every call answers with this envelope, whatever the transport. */
export type Envelope<T> = { ok: true; data: T } | { ok: false; error: ErrorBody };

export function okEnvelope<T>(data: T): Envelope<T> {
  return { ok: true, data };
}

export function errorEnvelope(error: ErrorBody): Envelope<never> {
  return { ok: false, error };
}
