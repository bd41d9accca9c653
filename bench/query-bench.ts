import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect, type LogEvent } from 'kysely';
import { createAnalytics, type Analytics } from '../src/main/analytics/analytics';
import { defaultPatternSettings } from '../src/shared/analytics';
import { VERIFY_FAILED } from '../src/main/store/analytics.store';
import type { Database } from '../src/main/store/schema';
import { medianMs } from './measure';

export type QueryKind = 'page' | 'chart' | 'patterns';

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

export function benchCases(now: number, sample: { email: string; cursor: string | null }): Case[] {
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
      name: 'patterns: all three, 90 days',
      kind: 'patterns',
      run: (a) => a.patterns({}, now, defaultPatternSettings),
    },
  ];
}

function iso(now: number, daysBack: number): string {
  return new Date(now - daysBack * 86_400_000).toISOString();
}

/** Times each audit page, chart and pattern query of the product against its own SQL run raw. */
export async function compareQueries(
  dbFile: string,
  now: number,
  sampleEmail: string,
  runs: number,
  onCase: (name: string) => void,
): Promise<QueryFigure[]> {
  const sqlite = new BetterSqlite3(dbFile, { readonly: true });
  let captured: Array<{ sql: string; parameters: readonly unknown[] }> | null = null;
  const log = (event: LogEvent) => {
    if (captured && event.level === 'query')
      captured.push({ sql: event.query.sql, parameters: event.query.parameters });
  };
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }), log });
  const analytics = createAnalytics(db);
  try {
    const first = await analytics.page({ limit: 100 });
    const figures: QueryFigure[] = [];
    for (const c of benchCases(now, { email: sampleEmail, cursor: first.nextCursor })) {
      onCase(c.name);
      captured = [];
      await c.run(analytics);
      const statements = captured.map((q) => ({
        statement: sqlite.prepare(q.sql),
        parameters: q.parameters,
      }));
      captured = null;
      const productMs = await medianMs(runs, () => c.run(analytics));
      const rawMs = await medianMs(runs, () => {
        for (const { statement, parameters } of statements) statement.all(...parameters);
      });
      figures.push({ name: c.name, kind: c.kind, productMs, rawMs, statements: statements.length });
    }
    return figures;
  } finally {
    await db.destroy();
  }
}
