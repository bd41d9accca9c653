import fs from 'node:fs';
import path from 'node:path';
import { Migrator, type MigrationProvider } from 'kysely';
import { connect } from './connection';
import { engineOf, type Engine } from './engine';
import { describeConnectionFailure } from './unavailable';
import { connectPostgres } from './postgres';
import { parseDatabaseTarget } from './target';
import { migrations } from './migrations';
import type { Db } from './schema';

export interface OpenDatabaseOptions {
  /**
   * Path of a better-sqlite3 native addon built for another ABI. Electron passes its own build
   * here, so the Node build used by the CLI and the tests is never replaced.
   */
  nativeBinding?: string;
}

export interface OpenedDatabase {
  db: Db;
  /** What differs between engines, as the connection was made with (store/engine.ts). */
  engine: Engine;
  /** The SQLite file (absolute); null for a database on a server. */
  file: string | null;
  /** What another connection to the same database opens: the file, or the full URL. */
  connectTo: string;
  /** What to call it in messages: the file, or the URL without its password. */
  location: string;
  close(): Promise<void>;
}

/** Raised when the file was written by a newer console; the file is left exactly as it was. */
export class DatabaseTooNewError extends Error {
  constructor(
    readonly file: string,
    readonly unknownMigrations: string[],
  ) {
    super(
      `${file} was written by a newer version of Org 2FA Console (it has schema ` +
        `${unknownMigrations.join(', ')}, which this version does not know). Upgrade the console ` +
        `to open it; the database was not changed.`,
    );
    this.name = 'DatabaseTooNewError';
  }
}

const staticProvider: MigrationProvider = { getMigrations: async () => migrations };

/**
 * Opens the database `location` names (a SQLite file, created if needed, or a postgres:// URL),
 * refuses one written by a newer version before touching it, then applies pending migrations.
 */
export async function openDatabase(
  location: string,
  options: OpenDatabaseOptions = {},
): Promise<OpenedDatabase> {
  const target = parseDatabaseTarget(location);
  return target.engine === 'postgres'
    ? openPostgres(target.url, target.display)
    : openSqlite(target.file, options);
}

/**
 * Several consoles may start at once against one PostgreSQL database: Kysely's migrator takes a
 * lock there, so each migration runs exactly once.
 */
async function openPostgres(url: string, display: string): Promise<OpenedDatabase> {
  const db = connectPostgres(url);
  try {
    const applied = await appliedMigrations(db);
    const unknown = unknownOf(applied);
    if (unknown.length > 0) throw new DatabaseTooNewError(display, unknown);
    if (!upToDate(applied)) await migrateToLatest(db);
  } catch (error) {
    await db.destroy();
    throw describeConnectionFailure(error, display);
  }
  return {
    db,
    engine: engineOf(db),
    file: null,
    connectTo: url,
    location: display,
    close: () => db.destroy(),
  };
}

async function openSqlite(file: string, options: OpenDatabaseOptions): Promise<OpenedDatabase> {
  const absolute = path.resolve(file);
  fs.mkdirSync(path.dirname(absolute), { recursive: true, mode: 0o700 });
  // Create the file owner-only; SQLite gives its -wal and -shm files the same mode.
  fs.closeSync(fs.openSync(absolute, 'a', 0o600));

  const { sqlite, db } = connect(absolute, { nativeBinding: options.nativeBinding });
  try {
    const applied = await appliedMigrations(db);
    const unknown = unknownOf(applied);
    if (unknown.length > 0) throw new DatabaseTooNewError(absolute, unknown);
    // Only now may the file be changed.
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    if (!upToDate(applied)) await migrateToLatest(db);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return {
    db,
    engine: engineOf(db),
    file: absolute,
    connectTo: absolute,
    location: absolute,
    close: () => db.destroy(),
  };
}

/** Names of the migrations recorded in the database (none for a new one). */
async function appliedMigrations(db: Db): Promise<string[]> {
  const read = () =>
    db
      .withoutPlugins()
      // kysely_migration is Kysely's own bookkeeping table, outside our schema types.
      .selectFrom('kysely_migration' as never)
      .select('name' as never)
      .execute() as Promise<Array<{ name: string }>>;
  try {
    return (await read()).map((row) => row.name);
  } catch (error) {
    // Only a database without the table (a new one) may fail here; anything else is real.
    const tables = await db.introspection.getTables({ withInternalKyselyTables: true });
    if (!tables.some((t) => t.name === 'kysely_migration')) return [];
    throw error;
  }
}

const knownMigrations = Object.keys(migrations);

/** Names of migrations recorded in the database that this build does not have. */
function unknownOf(applied: string[]): string[] {
  return applied.filter((name) => !Object.prototype.hasOwnProperty.call(migrations, name));
}

/** Every migration of this build is recorded: the migrator (a lock and several reads) can rest. */
function upToDate(applied: string[]): boolean {
  const recorded = new Set(applied);
  return knownMigrations.every((name) => recorded.has(name));
}

async function migrateToLatest(db: Db): Promise<void> {
  const migrator = new Migrator({ db, provider: staticProvider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`Database migration ${failed} failed: ${reason}`);
  }
}

/**
 * A second, read-only use of an open database for a worker thread (export formatting): the
 * SQLite file opened read-only, or one more connection to the PostgreSQL server. No migrations.
 */
export function connectReader(
  connectTo: string,
  options: { nativeBinding?: string; cacheKib?: number } = {},
): Db {
  const target = parseDatabaseTarget(connectTo);
  if (target.engine === 'postgres') return connectPostgres(target.url, { max: 1 });
  return connect(target.file, {
    readonly: true,
    fileMustExist: true,
    nativeBinding: options.nativeBinding,
    cacheKib: options.cacheKib,
  }).db;
}
