/** The fixed set of error codes any call can fail with, on every transport. */
export const errorCodes = [
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'TWO_FACTOR_SETUP_REQUIRED',
  'INVALID_INPUT',
  'INVALID_CODE',
  'LOCKED_OUT',
  'NOT_FOUND',
  'CONFLICT',
  /** The database (a shared PostgreSQL server) cannot be reached right now; nothing changed. */
  'UNAVAILABLE',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof errorCodes)[number];

/**
 * What the renderer may branch on, so that no component ever reads an error's wording:
 * - fields: which input fields were refused, each with its message (INVALID_INPUT);
 * - proof_needed: the call needs a proof of identity now, and which kind (code or password);
 * - file_refused: nothing of an uploaded file was kept (an all-or-nothing import refused it).
 */
export type ErrorDetails =
  | { kind: 'fields'; fields: Record<string, string> }
  | { kind: 'proof_needed'; method: 'code' | 'password' }
  | { kind: 'file_refused' };

export interface ErrorBody {
  code: ErrorCode;
  message: string;
  /** Seconds until a locked-out or throttled action may be retried (LOCKED_OUT only). */
  retryAfterSeconds?: number;
  details?: ErrorDetails;
}

/**
 * The exact sentence the guide prescribes for users redirected to setup; shared so the router's
 * error message and the renderer's banner can never drift apart.
 */
export const SETUP_REQUIRED_MESSAGE =
  'Your organization requires two-factor authentication. Please set it up to continue.';

/** HTTP status the web host answers for each error code. */
export const httpStatusByCode: Record<ErrorCode, number> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  TWO_FACTOR_SETUP_REQUIRED: 403,
  INVALID_INPUT: 400,
  INVALID_CODE: 400,
  LOCKED_OUT: 429,
  NOT_FOUND: 404,
  CONFLICT: 409,
  UNAVAILABLE: 503,
  INTERNAL: 500,
};

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (errorCodes as readonly string[]).includes(value);
}
