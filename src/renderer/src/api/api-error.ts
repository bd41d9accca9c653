import type { ErrorBody, ErrorCode, ErrorDetails } from '../../../shared/errors';

/** A call's failure as the renderer handles it: the contract's code and a message for people. */
export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly retryAfterSeconds?: number;
  /** What a component may branch on (never the message's wording). */
  readonly details?: ErrorDetails;

  constructor(body: ErrorBody) {
    super(body.message);
    this.name = 'ApiError';
    this.code = body.code;
    this.retryAfterSeconds = body.retryAfterSeconds;
    this.details = body.details;
  }
}

export function isApiError(error: unknown, code?: ErrorCode): error is ApiError {
  return error instanceof ApiError && (code === undefined || error.code === code);
}

/** The error's details when they are of this kind, else undefined. */
export function detailsOf<K extends ErrorDetails['kind']>(
  error: unknown,
  kind: K,
): Extract<ErrorDetails, { kind: K }> | undefined {
  if (!isApiError(error) || error.details?.kind !== kind) return undefined;
  return error.details as Extract<ErrorDetails, { kind: K }>;
}

/** Each refused input field with its message (`override.reason` for nested ones); {} if none. */
export function fieldErrorsOf(error: unknown): Record<string, string> {
  return detailsOf(error, 'fields')?.fields ?? {};
}

/** An all-or-nothing import refused the whole file: nothing of it was kept. */
export function isFileRefused(error: unknown): boolean {
  return detailsOf(error, 'file_refused') !== undefined;
}

/** The input fields that carry a proof of identity, as the contract names them. */
export const proofFieldNames = ['code', 'currentPassword'] as const;

/**
 * What is left for an alert once a form shows, beside its fields, the errors it can: null when
 * every refused field is one of `shown`, or the call wanted a proof and `shown` has a proof field.
 */
export function errorNotOnFields(error: unknown, shown: readonly string[]): unknown {
  if (!error) return null;
  const proof = detailsOf(error, 'proof_needed');
  if (proof)
    return shown.includes(proof.method === 'code' ? 'code' : 'currentPassword') ? null : error;
  const fields = Object.keys(fieldErrorsOf(error));
  if (fields.length > 0 && fields.every((field) => shown.includes(field))) return null;
  return error;
}
