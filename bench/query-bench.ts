import BetterSqlite3 from 'better-sqlite3';
import { Kysely, type LogEvent } from 'kysely';
import { createAnalytics, type Analytics } from '../src/main/detections/analytics';
import { defaultPatternSettings, detectorInfos } from '../src/main/detections/registry';
import { VERIFY_FAILED } from '../src/shared/audit-events';
import type { Database } from '../src/main/store/schema';
import { SqliteEngineDialect } from '../src/main/store/sqlite-engine';
import { medianMs } from './measure';

export type QueryKind = 'page' | 'chart' | 'patterns' | 'patterns_rerun';

export interface QueryFigure {
  name: string;
  kind: QueryKind;
  productMs: number;
  /** The same statements with the same parameters, prepared once and run on the bare driver. */
  rawMs: number;
  statements: number;
}

interface Case {
  name: string;
  kind: QueryKind;
  run: (analytics: Analytics) => Promise<unknown>;
}

function benchCases(
  now: number,
  sample: { email: string; cursor: string | null },
  appendedSince: number | null,
): Case[] {
  const page = (name: string, input: Parameters<Analytics['page']>[0]): Case => ({
    name,
    kind: 'page',
    run: (a) => a.page({ limit: 100, ...input }),
  });
  const chart = (name: string, run: Case['run']): Case => ({ name, kind: 'chart', run });
  return [
    page('page: newest 100', {}),
    ...(sample.cursor ? [page('page: next 100 (cursor)', { cursor: sample.cursor })] : []),
    page('page: failed verifications', { types: [VERIFY_FAILED] }),
    page("page: one user's events", { email: sample.email }),
    page('page: one /24 network', { ip: '198.51.100.0/24' }),
    page('page: failures, 2 days ago, 14:00', {
      outcome: 'failure',
      weekday: new Date(now - 2 * 86_400_000).getUTCDay(),
      hour: 14,
    }),
    page('page: text search "travel"', { text: 'travel' }),
    chart('chart: timeline, 90 days by day', (a) =>
      a.timeline({ bucket: 'day', since: iso(now, 90) }, now),
    ),
    chart('chart: timeline, 7 days by hour', (a) =>
      a.timeline({ bucket: 'hour', since: iso(now, 7) }, now),
    ),
    chart('chart: top users, 30 days', (a) => a.top({ by: 'user' }, now)),
    chart('chart: top addresses, 30 days', (a) => a.top({ by: 'ip' }, now)),
    chart('chart: top networks, 30 days', (a) => a.top({ by: 'network' }, now)),
    chart('chart: weekday × hour heatmap, 30 days', (a) => a.heatmap({}, now)),
    chart('chart: counts by type, 30 days', (a) => a.summary({}, now)),
    {
      name: `patterns: all ${detectorInfos().length} detectors, 90 days`,
      kind: 'patterns',
      run: (a) => a.patterns({}, now, defaultPatternSettings),
    },
    // What the monitoring runs after each ingest batch: every detector over the span of the
    // newly appended events plus its longest window (a day), baselines read from the history.
    ...(appendedSince === null
      ? []
      : [
          {
            name: 'patterns: re-run after appending 10,000 events (their span + 1 day)',
            kind: 'patterns_rerun' as const,
            run: (a: Analytics) =>
              a.patterns(
                { since: new Date(appendedSince - RERUN_WINDOW_MS).toISOString() },
                now,
                defaultPatternSettings,
              ),
          },
        ]),
  ];
}

/** The longest window a detector looks back from an event (backup_code_burst's 24 hours). */
const RERUN_WINDOW_MS = 86_400_000;

function iso(now: number, daysBack: number): string {
  return new Date(now - daysBack * 86_400_000).toISOString();
}

export interface CapturedQuery {
  sql: string;
  parameters: readonly unknown[];
}

/** Records the SQL a piece of product code sends, through Kysely's query log. */
export function queryRecorder() {
  let captured: CapturedQuery[] | null = null;
  return {
    log(event: LogEvent) {
      if (captured && event.level === 'query')
        captured.push({ sql: event.query.sql, parameters: event.query.parameters });
    },
    async record(work: () => Promise<unknown>): Promise<CapturedQuery[]> {
      captured = [];
      await work();
      const queries = captured;
      captured = null;
      return queries;
    },
  };
}

/**
 * Times every case on the product (`analytics`) and on the bare driver: `rawRunner` gets the SQL
 * a case sent and answers a function that sends exactly that, prepared however the driver likes.
 */
export async function timeCases(options: {
  analytics: Analytics;
  recorder: ReturnType<typeof queryRecorder>;
  now: number;
  sampleEmail: string;
  /** The oldest appended event's time, for the re-run case (null: no append). */
  appendedSince: number | null;
  runs: number;
  onCase: (name: string) => void;
  rawRunner: (queries: CapturedQuery[]) => () => unknown;
}): Promise<QueryFigure[]> {
  const { analytics, recorder, runs } = options;
  const first = await analytics.page({ limit: 100 });
  const figures: QueryFigure[] = [];
  for (const c of benchCases(
    options.now,
    { email: options.sampleEmail, cursor: first.nextCursor },
    options.appendedSince,
  )) {
    options.onCase(c.name);
    const queries = await recorder.record(() => c.run(analytics));
    const runRaw = options.rawRunner(queries);
    const productMs = await medianMs(runs, () => c.run(analytics));
    const rawMs = await medianMs(runs, runRaw);
    figures.push({ name: c.name, kind: c.kind, productMs, rawMs, statements: queries.length });
  }
  return figures;
}

/** Times each audit page, chart and pattern query of the product against its own SQL run raw. */
export async function compareQueries(
  dbFile: string,
  now: number,
  sampleEmail: string,
  appendedSince: number | null,
  runs: number,
  onCase: (name: string) => void,
): Promise<QueryFigure[]> {
  const sqlite = new BetterSqlite3(dbFile, { readonly: true });
  const recorder = queryRecorder();
  const db = new Kysely<Database>({
    dialect: new SqliteEngineDialect({ database: sqlite }),
    log: recorder.log,
  });
  try {
    return await timeCases({
      analytics: createAnalytics(db),
      recorder,
      now,
      sampleEmail,
      appendedSince,
      runs,
      onCase,
      rawRunner: (queries) => {
        const statements = queries.map((q) => ({
          statement: sqlite.prepare(q.sql),
          parameters: q.parameters,
        }));
        return () => {
          for (const { statement, parameters } of statements) statement.all(...parameters);
        };
      },
    });
  } finally {
    await db.destroy();
  }
}
