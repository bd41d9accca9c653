import fs from 'node:fs';
import pg from 'pg';
import { createAnalytics } from '../src/main/detections/analytics';
import { chainedRow, type HistoricalEvent } from '../src/main/audit/audit.service';
import { GENESIS_HASH } from '../src/main/audit/audit-chain';
import { openDatabase } from '../src/main/store/database';
import { AUDIT_COLUMNS } from '../src/main/store/audit.store';
import { connectPostgres } from '../src/main/store/postgres';
import { runMeasured } from './measure';
import type { ExportFigures } from './export-bench';
import { queryRecorder, timeCases, type QueryFigure } from './query-bench';

/**
 * `npm run bench -- --db postgres://…`: the same figures on PostgreSQL. The bench makes its own
 * two databases beside the one named (it needs CREATEDB there) and drops them afterwards.
 */
export async function benchDatabases(url: string): Promise<{
  product: string;
  reference: string;
  /** The import without location lookups, for comparison; emptied between its runs. */
  unlocated: string;
  resetUnlocated(): Promise<void>;
  drop(): Promise<void>;
}> {
  const base = new URL(url);
  const name = base.pathname.slice(1) || 'postgres';
  const names = {
    product: `${name}_org2fa_bench`,
    reference: `${name}_org2fa_bench_ref`,
    unlocated: `${name}_org2fa_bench_unlocated`,
  };
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  const run = async (statement: string) => {
    await admin.query(statement);
  };
  for (const db of Object.values(names)) {
    await run(`DROP DATABASE IF EXISTS "${db}" WITH (FORCE)`);
    await run(`CREATE DATABASE "${db}"`);
  }
  const at = (db: string) => {
    const u = new URL(url);
    u.pathname = `/${db}`;
    return u.toString();
  };
  return {
    product: at(names.product),
    reference: at(names.reference),
    unlocated: at(names.unlocated),
    async resetUnlocated() {
      await run(`DROP DATABASE IF EXISTS "${names.unlocated}" WITH (FORCE)`);
      await run(`CREATE DATABASE "${names.unlocated}"`);
    },
    async drop() {
      for (const db of Object.values(names))
        await run(`DROP DATABASE IF EXISTS "${db}" WITH (FORCE)`);
      await admin.end();
    },
  };
}

const ROWS_PER_INSERT = 1000;

/**
 * The reference on PostgreSQL: the same chained rows into the same schema in one transaction,
 * 1,000 rows per INSERT on the bare driver, with no parsing, validation or duplicate check.
 */
export async function rawInsertEventsPerSecondPostgres(
  url: string,
  events: HistoricalEvent[],
  source: string,
): Promise<number> {
  await (await openDatabase(url)).close();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const start = process.hrtime.bigint();
    await client.query('BEGIN');
    let previous = GENESIS_HASH;
    for (let i = 0; i < events.length; i += ROWS_PER_INSERT) {
      const values: unknown[] = [];
      const tuples: string[] = [];
      for (const event of events.slice(i, i + ROWS_PER_INSERT)) {
        const row = chainedRow(previous, { ...event, source }) as unknown as Record<
          string,
          unknown
        >;
        previous = row.hash as string;
        const base = values.length;
        tuples.push(`(${AUDIT_COLUMNS.map((_, c) => `$${base + c + 1}`).join(', ')})`);
        for (const column of AUDIT_COLUMNS) values.push(row[column] ?? null);
      }
      await client.query(
        `INSERT INTO audit_events (${AUDIT_COLUMNS.join(', ')}) VALUES ${tuples.join(', ')}`,
        values,
      );
    }
    await client.query('COMMIT');
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    return events.length / seconds;
  } finally {
    await client.end();
  }
}

/** Each audit query of the product against its own SQL sent raw on the bare pg driver. */
export async function compareQueriesPostgres(
  url: string,
  now: number,
  sampleEmail: string,
  appendedSince: number | null,
  runs: number,
  onCase: (name: string) => void,
): Promise<QueryFigure[]> {
  const recorder = queryRecorder();
  const db = connectPostgres(url, { log: recorder.log });
  const raw = new pg.Client({ connectionString: url });
  await raw.connect();
  try {
    // A live database is vacuumed by autovacuum; a freshly bulk-loaded one is not yet.
    await raw.query('VACUUM ANALYZE audit_events');
    return await timeCases({
      analytics: createAnalytics(db),
      recorder,
      now,
      sampleEmail,
      appendedSince,
      runs,
      onCase,
      rawRunner: (queries) => async () => {
        for (const { sql, parameters } of queries) await raw.query(sql, [...parameters]);
      },
    });
  } finally {
    await raw.end();
    await db.destroy();
  }
}

/** The same columns, order and timestamp text as the product's CSV, from psql's \copy. */
const REFERENCE_COPY = `\\copy (SELECT type,
  to_char(to_timestamp(ts / 1000.0) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS timestamp,
  user_id AS "userId", email, ip, user_agent AS "userAgent", coalesce(method, '') AS method, details
FROM audit_events ORDER BY id) TO STDOUT WITH (FORMAT csv, HEADER)`;

export async function compareCsvExportPostgres(
  cli: string,
  url: string,
  outDir: string,
): Promise<ExportFigures> {
  const reference = await runMeasured('/usr/bin/psql', ['-X', '-q', url, '-c', REFERENCE_COPY], {
    stdoutFile: `${outDir}/reference.csv`,
  });
  const product = await runMeasured(process.execPath, [
    cli,
    'export',
    '--db',
    url,
    '--format',
    'csv',
    '--out',
    `${outDir}/export.csv`,
  ]);
  if (!fs.existsSync(`${outDir}/export.csv`)) throw new Error('the product export wrote no file');
  return { product, reference };
}
