import { randomBytes } from 'node:crypto';
import path from 'node:path';
import pg from 'pg';

/**
 * Which engine the integration and contract suites run on: SQLite files by default, or a fresh
 * PostgreSQL database per test when ORG2FA_TEST_POSTGRES names a server (`npm run test:postgres`
 * starts a throwaway one).
 */
export const testPostgresUrl = process.env.ORG2FA_TEST_POSTGRES || null;
export const onPostgres = testPostgresUrl !== null;
export const engineName = onPostgres ? 'PostgreSQL' : 'SQLite';

/** A new, empty database on the test server; `drop` removes it (closing what still uses it). */
export async function createTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  if (!testPostgresUrl) throw new Error('ORG2FA_TEST_POSTGRES is not set');
  const name = `org2fa_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: testPostgresUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(testPostgresUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: testPostgresUrl! });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

/**
 * For a suite that tests something only SQLite has (its query planner, its file, worker threads
 * opening that file): says so once in the output, and answers whether to skip it.
 */
export function sqliteOnly(what: string): boolean {
  if (onPostgres) console.log(`SKIPPED on PostgreSQL: ${what} (SQLite only).`);
  return onPostgres;
}

/**
 * A database several processes will share (consoles, CLI runs): a SQLite file in `dir`, or a
 * fresh PostgreSQL database with the org's key file in `dir`. `env` is what each process needs.
 */
export async function createSharedDatabase(
  dir: string,
  name = 'shared',
): Promise<{
  location: string;
  env: Record<string, string>;
  drop(): Promise<void>;
}> {
  if (!onPostgres) {
    return { location: path.join(dir, `${name}.sqlite`), env: {}, drop: async () => undefined };
  }
  const database = await createTestDatabase();
  return {
    location: database.url,
    env: { ORG2FA_KEY_FILE: path.join(dir, 'org.key') },
    drop: () => database.drop(),
  };
}

/** For a suite only a PostgreSQL server makes sense for: says so on SQLite, answers whether to skip. */
export function postgresOnly(what: string): boolean {
  if (!onPostgres)
    console.log(`SKIPPED on SQLite: ${what} (PostgreSQL only; npm run test:postgres).`);
  return !onPostgres;
}
