import { randomBytes } from 'node:crypto';
import path from 'node:path';
import pg from 'pg';
import { openDatabase } from '../../src/main/store/database';

/**
 * Which engine the integration and contract suites run on: SQLite files by default, or a fresh
 * PostgreSQL database per test when ORG2FA_TEST_POSTGRES names a server (`npm run test:postgres`
 * starts a throwaway one).
 */
export const testPostgresUrl = process.env.ORG2FA_TEST_POSTGRES || null;
export const onPostgres = testPostgresUrl !== null;
export const engineName = onPostgres ? 'PostgreSQL' : 'SQLite';

async function onServer(statement: string): Promise<void> {
  const admin = new pg.Client({ connectionString: testPostgresUrl! });
  await admin.connect();
  try {
    await admin.query(statement);
  } finally {
    await admin.end();
  }
}

function urlOf(name: string): string {
  const url = new URL(testPostgresUrl!);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * A database with every migration applied and nothing else (no org, no key fingerprint), made
 * once per test process: copying it is a file copy, where migrating each new database took most
 * of a test app's start (about 0.5 s, which a property test making 60 apps could not afford).
 */
let migratedTemplate: Promise<string> | null = null;
function migratedTemplateName(): Promise<string> {
  migratedTemplate ??= (async () => {
    const name = `org2fa_template_${randomBytes(6).toString('hex')}`;
    await onServer(`CREATE DATABASE ${name}`);
    const opened = await openDatabase(urlOf(name));
    await opened.close();
    return name;
  })();
  return migratedTemplate;
}

/**
 * A new database on the test server, empty or (`migrated`) as a console leaves a new one after
 * its migrations; `drop` removes it (closing what still uses it).
 */
export async function createTestDatabase(
  options: { migrated?: boolean } = {},
): Promise<{ url: string; drop(): Promise<void> }> {
  if (!testPostgresUrl) throw new Error('ORG2FA_TEST_POSTGRES is not set');
  const name = `org2fa_test_${randomBytes(6).toString('hex')}`;
  const template = options.migrated ? ` TEMPLATE ${await migratedTemplateName()}` : '';
  await onServer(`CREATE DATABASE ${name}${template}`);
  return {
    url: urlOf(name),
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
  const database = await createTestDatabase({ migrated: true });
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
