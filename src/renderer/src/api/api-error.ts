import type { ErrorBody, ErrorCode } from '../../../shared/errors';

/** A call's failure as the renderer handles it: the contract's code and a message for people. */
export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly retryAfterSeconds?: number;

  constructor(body: ErrorBody) {
    super(body.message);
    this.name = 'ApiError';
    this.code = body.code;
    this.retryAfterSeconds = body.retryAfterSeconds;
  }
}

export function isApiError(error: unknown, code?: ErrorCode): error is ApiError {
  return error instanceof ApiError && (code === undefined || error.code === code);
}
