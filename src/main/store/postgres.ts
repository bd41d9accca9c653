import { Kysely, type KyselyConfig } from 'kysely';
import pg from 'pg';
import Cursor from 'pg-cursor';
import { PostgresEngineDialect } from './postgres-engine';
import type { Database, Db } from './schema';

/** int8 (COUNT, SUM, bigint columns) and numeric come back as strings by default. */
const INT8_OID = 20;
const NUMERIC_OID = 1700;

/**
 * A pool of connections to a shared PostgreSQL database. Numbers come back as numbers, as they
 * do from SQLite (every value the console stores fits in 2^53). A connection the server drops
 * while idle is replaced on the next query instead of crashing the process.
 */
export function connectPostgres(
  url: string,
  options: { max?: number; log?: KyselyConfig['log'] } = {},
): Db {
  const pool = new pg.Pool({
    connectionString: url,
    // JIT compiles the pattern queries for ~70 ms each run and saves less (measured: 15% of the
    // patterns' time); an interactive console turns it off. PGOPTIONS still overrides it.
    options: ['-c jit=off', process.env.PGOPTIONS].filter(Boolean).join(' '),
    max: options.max ?? 8,
    connectionTimeoutMillis: 5_000,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8_OID || oid === NUMERIC_OID
          ? Number
          : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  // A connection the server drops is never a crash: an idle one the pool replaces; one in use
  // fails its query (the router answers UNAVAILABLE) and the pool discards it on release.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  return new Kysely<Database>({
    dialect: new PostgresEngineDialect({ pool, cursor: Cursor }),
    ...(options.log ? { log: options.log } : {}),
  });
}
