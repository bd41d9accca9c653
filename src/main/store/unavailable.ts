/**
 * Telling "the database server is unreachable" apart from every other failure, so a console
 * on a shared PostgreSQL database can say so plainly and carry on once it is back.
 */
const CONNECTION_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  // PostgreSQL SQLSTATEs: connection exceptions, and the server shutting down or starting.
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
  '57P01',
  '57P02',
  '57P03',
]);

const CONNECTION_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|the database system is (starting up|shutting down)/i;

export function isDatabaseUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && CONNECTION_ERROR_CODES.has(code)) return true;
  if (error instanceof AggregateError) return error.errors.some(isDatabaseUnavailable);
  return CONNECTION_MESSAGES.test(error.message);
}

export class DatabaseUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DatabaseUnavailableError';
  }
}

/** A failure to reach the server while opening, as a sentence naming where; others unchanged. */
export function describeConnectionFailure(error: unknown, location: string): unknown {
  if (!isDatabaseUnavailable(error)) return error;
  const reason = error instanceof Error ? error.message || (error as { code?: string }).code : '';
  return new DatabaseUnavailableError(
    `Cannot reach the database ${location}${reason ? ` (${reason})` : ''}. Check that the ` +
      'PostgreSQL server is running and reachable from this machine, then start the console again.',
  );
}
