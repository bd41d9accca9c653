import type { ErrorCode } from '../shared/errors';

/** A failure the caller should see as-is; anything else becomes INTERNAL with a generic message. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}
