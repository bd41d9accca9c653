import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { generateDataset, writeEventFile } from './dataset';
import { compareCsvExport } from './export-bench';
import { cliImport, locatedAddresses, rawInsertEventsPerSecond } from './import-bench';
import { assertReferenceTools } from './measure';
import { compareQueries, type QueryKind } from './query-bench';
import { printTable, type Row } from './table';
import {
  benchDatabases,
  compareCsvExportPostgres,
  compareQueriesPostgres,
  rawInsertEventsPerSecondPostgres,
} from './postgres-bench';
import { isPostgresUrl, redactedUrl } from '../src/main/store/target';

const usage = `npm run bench [-- --events N] [--runs R] [--keep DIR] [--db postgres://USER@HOST:PORT/DB]
  Builds a database of N realistic audit events (default 1,000,000) and prints each figure beside
  a reference measured in the same run: import vs raw inserts on the bare driver, import with
  location lookups vs the same import without (ORG2FA_GEOIP=off), each audit query
  vs its own SQL on the bare driver (median of R runs, default 7), CSV export vs the engine's own
  CSV dump (sqlite3 -csv, or psql \\copy). With --db, on PostgreSQL: the bench creates two
  databases beside the one named (DB_org2fa_bench and DB_org2fa_bench_ref; needs CREATEDB) and
  drops them at the end.`;

/** The goals of the patterns and audit-io issues. */
const QUERY_GOAL_MS: Record<QueryKind, number> = {
  page: 50,
  chart: 200,
  patterns: 1000,
  patterns_rerun: 100,
};
/** Issue 15: detectors re-run after an append of this many events. */
const APPENDED_EVENTS = 10_000;
const IMPORT_GOAL_SHARE = 0.7;
/** Issue 15: locating every new address at append costs at most 10% of import throughput. */
const LOCATING_GOAL_SHARE = 0.9;
const EXPORT_GOAL_RATIO = 2;
const EXPORT_GOAL_RSS_MB = 300;

function step(text: string): void {
  process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${text}\n`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      events: { type: 'string', default: '1000000' },
      runs: { type: 'string', default: '7' },
      keep: { type: 'string' },
      db: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) return void console.log(usage);
  const count = Number(values.events.replace(/[_,]/g, ''));
  const runs = Number(values.runs);
  if (!Number.isInteger(count) || count < 1000) throw new Error(`--events: a whole number ≥ 1000`);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs: a whole number ≥ 1`);
  const postgresUrl = values.db && isPostgresUrl(values.db) ? values.db : null;
  if (values.db && !postgresUrl)
    throw new Error('--db: only a postgres:// URL (SQLite is the default)');
  assertReferenceTools(postgresUrl ? 'postgres' : 'sqlite');
  const cli = path.resolve(__dirname, '../cli/org2fa.js');
  if (!fs.existsSync(cli)) throw new Error(`${cli} is missing: run npm run build`);

  const dir = values.keep
    ? path.resolve(values.keep)
    : fs.mkdtempSync(path.join(os.tmpdir(), 'org2fa-bench-'));
  fs.mkdirSync(dir, { recursive: true });
  // On PostgreSQL the product's processes need the org's key; a throwaway one for the bench.
  if (postgresUrl) process.env.ORG2FA_KEY_FILE = path.join(dir, 'bench.key');
  const databases = postgresUrl ? await benchDatabases(postgresUrl) : null;
  try {
    step(`Generating ${count.toLocaleString('en')} events…`);
    const { events, now } = generateDataset(count + APPENDED_EVENTS, Date.now());
    // The newest events come later, as the web application's next batch.
    const appended = events.splice(count);
    const appendedSince = appended[0]!.ts;
    const eventFile = path.join(dir, 'events.jsonl');
    const appendFile = path.join(dir, 'appended.jsonl');
    const bytes = await writeEventFile(eventFile, events);
    await writeEventFile(appendFile, appended);
    step(`Wrote ${eventFile} (${(bytes / 1e6).toFixed(0)} MB)`);

    step(`Reference: raw ${postgresUrl ? 'multi-row' : 'prepared'} inserts into the same schema…`);
    const source = `events.jsonl (imported ${new Date(now).toISOString()})`;
    const rawRate = databases
      ? await rawInsertEventsPerSecondPostgres(databases.reference, events, source)
      : await rawInsertEventsPerSecond(path.join(dir, 'reference.sqlite'), events, source);
    const sampleEmail = events.find((e) => e.email && e.type.includes('verify'))?.email ?? '';
    events.length = 0; // The product's import reads the file; free the copy.

    // Without lookups before and after the product's import, into a database of its own (emptied
    // after each run): their mean brackets the product's run, so a machine getting slower or
    // faster during the bench does not count for or against the lookups.
    const unlocatedDb = databases?.unlocated ?? path.join(dir, 'unlocated.sqlite');
    const importUnlocated = async (which: string) => {
      step(`Product: org2fa import without location lookups (ORG2FA_GEOIP=off), ${which}…`);
      const figures = await cliImport(cli, unlocatedDb, eventFile, count, { locating: false });
      if (databases) await databases.resetUnlocated();
      else
        for (const suffix of ['', '-wal', '-shm', '.key'])
          fs.rmSync(`${unlocatedDb}${suffix}`, { force: true });
      return figures.eventsPerSecond;
    };
    const unlocatedBefore = await importUnlocated('before');

    step('Product: org2fa import…');
    const dbFile = databases?.product ?? path.join(dir, 'bench.sqlite');
    const imported = await cliImport(cli, dbFile, eventFile, count);
    const unlocatedRate = (unlocatedBefore + (await importUnlocated('after'))) / 2;
    const located = await locatedAddresses(dbFile);
    step(`Product: org2fa import of the next ${APPENDED_EVENTS.toLocaleString('en')} events…`);
    await cliImport(cli, dbFile, appendFile, APPENDED_EVENTS);

    step('Queries (product vs raw SQL)…');
    const onCase = (name: string) => step(`  ${name}`);
    const queries = databases
      ? await compareQueriesPostgres(dbFile, now, sampleEmail, appendedSince, runs, onCase)
      : await compareQueries(dbFile, now, sampleEmail, appendedSince, runs, onCase);

    step(`Export to CSV (product vs ${databases ? 'psql \\copy' : 'sqlite3 -csv'})…`);
    const exported = databases
      ? await compareCsvExportPostgres(cli, dbFile, dir)
      : await compareCsvExport(cli, dbFile, dir);

    const rows: Row[] = [
      {
        measure: `import ${count.toLocaleString('en')} events (events/s)`,
        product: Math.round(imported.eventsPerSecond),
        reference: Math.round(rawRate),
        ratio: imported.eventsPerSecond / rawRate,
        goal: `≥ ${IMPORT_GOAL_SHARE * 100}% of reference`,
        met: imported.eventsPerSecond >= IMPORT_GOAL_SHARE * rawRate,
      },
      {
        measure: `import with location lookups vs without (events/s; ${located.toLocaleString('en')} addresses; without = mean of a run before and after)`,
        product: Math.round(imported.eventsPerSecond),
        reference: Math.round(unlocatedRate),
        ratio: imported.eventsPerSecond / unlocatedRate,
        goal: `≥ ${LOCATING_GOAL_SHARE * 100}% of without`,
        met: imported.eventsPerSecond >= LOCATING_GOAL_SHARE * unlocatedRate,
      },
      {
        measure: 'import peak RSS (MB)',
        product: Math.round(imported.peakRssMb),
        reference: null,
        ratio: null,
        goal: 'bounded',
        met: null,
      },
      ...queries.map((q) => ({
        measure: `${q.name} (ms)`,
        product: q.productMs,
        reference: q.rawMs,
        ratio: q.productMs / q.rawMs,
        goal: `≤ ${QUERY_GOAL_MS[q.kind]} ms`,
        met: q.productMs <= QUERY_GOAL_MS[q.kind],
      })),
      {
        measure: 'export all to CSV (s)',
        product: exported.product.seconds,
        reference: exported.reference.seconds,
        ratio: exported.product.seconds / exported.reference.seconds,
        goal: `≤ ${EXPORT_GOAL_RATIO}x reference`,
        met: exported.product.seconds <= EXPORT_GOAL_RATIO * exported.reference.seconds,
      },
      {
        measure: 'export peak RSS (MB)',
        product: Math.round(exported.product.peakRssMb),
        reference: Math.round(exported.reference.peakRssMb),
        ratio: exported.product.peakRssMb / exported.reference.peakRssMb,
        goal: `< ${EXPORT_GOAL_RSS_MB} MB`,
        met: exported.product.peakRssMb < EXPORT_GOAL_RSS_MB,
      },
    ];
    console.log(
      `\nOrg 2FA Console benchmark: ${count.toLocaleString('en')} events, ${os.cpus().length} cores, ` +
        `Node ${process.versions.node}, median of ${runs} runs per query\n` +
        (databases
          ? `Engine: PostgreSQL (${redactedUrl(postgresUrl!)})\n` +
            `Reference: import = raw pg multi-row inserts (same schema, hash chain); ` +
            `queries = the same SQL on the bare pg driver; export = psql \\copy … CSV\n`
          : `Engine: SQLite\n` +
            `Reference: import = raw better-sqlite3 prepared inserts (same schema, hash chain); ` +
            `queries = the same SQL prepared once on the bare driver; export = sqlite3 -csv\n`),
    );
    printTable(rows);
    const missed = rows.filter((r) => r.met === false);
    console.log(
      missed.length === 0
        ? '\nEvery goal met.'
        : `\n${missed.length} goal(s) missed: ${missed.map((r) => r.measure).join('; ')}`,
    );
  } finally {
    await databases?.drop();
    if (!values.keep) fs.rmSync(dir, { recursive: true, force: true });
    else step(`Kept ${dir}`);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
