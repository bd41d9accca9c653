import { runMeasured, type ProcessFigures } from './measure';

/** The same columns, order and timestamp text as the product's CSV, straight from the sqlite3 shell. */
const REFERENCE_SQL = `SELECT type,
  strftime('%Y-%m-%dT%H:%M:%fZ', ts / 1000.0, 'unixepoch') AS timestamp,
  user_id AS userId, email, ip, user_agent AS userAgent, coalesce(method, '') AS method, details
FROM audit_events ORDER BY id`;

export interface ExportFigures {
  product: ProcessFigures;
  reference: ProcessFigures;
}

export async function compareCsvExport(
  cli: string,
  dbFile: string,
  outDir: string,
): Promise<ExportFigures> {
  const reference = await runMeasured(
    '/usr/bin/sqlite3',
    ['-csv', '-header', dbFile, REFERENCE_SQL],
    {
      stdoutFile: `${outDir}/reference.csv`,
    },
  );
  const product = await runMeasured(process.execPath, [
    cli,
    'export',
    '--db',
    dbFile,
    '--format',
    'csv',
    '--out',
    `${outDir}/export.csv`,
  ]);
  return { product, reference };
}
