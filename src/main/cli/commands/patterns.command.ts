import { parseArgs } from 'node:util';
import { z } from 'zod';
import { openCliApp } from '../cli-app';
import type { CliIo } from '../cli-io';
import { parseOption } from '../io';

export const patternsUsage = `org2fa patterns --db PATH [--since ISO] [--until ISO] --format json
  Prints every detector's findings as a JSON array of
  {kind, severity, users, ips, countries, asns, start, end, count, why, action}.
  Default period: the 90 days before --until (now).`;

const isoSchema = z.iso.datetime({
  offset: true,
  error: 'expected an ISO 8601 time such as 2026-11-01T00:00:00Z',
});

export async function patternsCommand(argv: string[], io: CliIo): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      db: { type: 'string' },
      since: { type: 'string' },
      until: { type: 'string' },
      format: { type: 'string', default: 'json' },
    },
    strict: true,
  });
  parseOption(z.literal('json', { error: 'only json is supported' }), values.format, '--format');
  const since =
    values.since === undefined ? undefined : parseOption(isoSchema, values.since, '--since');
  const until =
    values.until === undefined ? undefined : parseOption(isoSchema, values.until, '--until');
  const app = await openCliApp(io, values.db);
  try {
    const { findings } = await app.detections.findings({ since, until });
    const printable = findings.map(
      ({ kind, severity, users, ips, countries, asns, start, end, count, why, action }) => ({
        kind,
        severity,
        users,
        ips,
        countries,
        asns,
        start,
        end,
        count,
        why,
        action,
      }),
    );
    io.stdout.write(`${JSON.stringify(printable, null, 2)}\n`);
  } finally {
    await app.close();
  }
}
