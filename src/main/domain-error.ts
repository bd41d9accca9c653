import type { ErrorCode, ErrorDetails } from '../shared/errors';

/** A failure the caller should see as-is; anything else becomes INTERNAL with a generic message. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly retryAfterSeconds?: number,
    readonly details?: ErrorDetails,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

/** A refused input field, named in the message and in `details` for the form to show it there. */
export function fieldError(field: string, message: string): DomainError {
  return new DomainError('INVALID_INPUT', `${field}: ${message}`, undefined, {
    kind: 'fields',
    fields: { [field]: message },
  });
}

/** An error as it crosses a worker thread's message port. */
export interface SerializedError {
  code: ErrorCode | null;
  message: string;
  retryAfterSeconds?: number;
  details?: ErrorDetails;
  stack?: string;
}

export function serializeError(error: unknown): SerializedError {
  if (error instanceof DomainError) {
    return {
      code: error.code,
      message: error.message,
      retryAfterSeconds: error.retryAfterSeconds,
      details: error.details,
    };
  }
  return {
    code: null,
    message: error instanceof Error ? error.message : String(error),
    stack: error instanceof Error ? error.stack : undefined,
  };
}

/** The same error on this side: a DomainError keeps its code, wait and details. */
export function deserializeError(error: SerializedError): Error {
  return error.code
    ? new DomainError(error.code, error.message, error.retryAfterSeconds, error.details)
    : Object.assign(new Error(error.message), { stack: error.stack });
}
