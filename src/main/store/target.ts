/**
 * Where a console's data lives: an embedded SQLite file (the default) or a shared PostgreSQL
 * database named by a `postgres://USER@HOST:PORT/DB` URL.
 */
export type DatabaseTarget =
  { engine: 'sqlite'; file: string } | { engine: 'postgres'; url: string; display: string };

export function isPostgresUrl(value: string): boolean {
  return /^postgres(ql)?:\/\//i.test(value);
}

/** A URL fit for messages and logs: the password, if one was given, replaced by `***`. */
export function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'postgres://(unparsable URL)';
  }
}

export function parseDatabaseTarget(value: string): DatabaseTarget {
  if (!isPostgresUrl(value)) return { engine: 'sqlite', file: value };
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new Error(`--db: "${redactedUrl(value)}" is not a valid postgres:// URL.`);
  }
  if (!parsed.hostname || parsed.pathname.length <= 1) {
    throw new Error(
      `--db: ${redactedUrl(value)} needs a host and a database: postgres://USER@HOST:PORT/DB.`,
    );
  }
  return { engine: 'postgres', url: value, display: redactedUrl(value) };
}
