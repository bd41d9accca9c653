import { parseArgs } from 'node:util';
import { z } from 'zod';
import { auditFilterSchema } from '../../../shared/contract';
import { eventFileFormats, manifestFileOf } from '../../../shared/event-file';
import { exportEvents, exportEventsToFile } from '../../audit/export-events';
import { systemClock } from '../../clock';
import { DomainError } from '../../domain-error';
import { openCliApp } from '../cli-app';
import { CliError } from '../cli-error';
import { CLI_CLIENT, type CliIo } from '../cli-io';
import { parseOption } from '../io';

export const exportUsage = `org2fa export --db PATH --format ${eventFileFormats.join('|')} [--type T]... [--since ISO] [--until ISO] [--email E] [--ip IP] [--out FILE]
  Streams audit events in chain order (as recorded) to FILE or standard output. JSON Lines end with a manifest
  line; for CSV the manifest goes to ${manifestFileOf('FILE')} (or to stderr when writing to stdout).`;

export async function exportCommand(argv: string[], io: CliIo): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      db: { type: 'string' },
      format: { type: 'string' },
      type: { type: 'string', multiple: true },
      since: { type: 'string' },
      until: { type: 'string' },
      email: { type: 'string' },
      ip: { type: 'string' },
      out: { type: 'string' },
    },
    strict: true,
  });
  const format = parseOption(z.enum(eventFileFormats), values.format, '--format');
  const parsed = auditFilterSchema.safeParse({
    types: values.type,
    since: values.since,
    until: values.until,
    email: values.email,
    ip: values.ip,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new CliError(
      `--${String(issue.path[0] ?? 'filter').replace('types', 'type')}: ${issue.message}`,
    );
  }
  const filters = Object.fromEntries(
    Object.entries(parsed.data).filter(([, v]) => v !== undefined),
  );
  const app = await openCliApp(io, values.db);
  const deps = { db: app.db, audit: app.services.audit };
  const options = {
    format,
    filters,
    client: CLI_CLIENT,
    actor: null,
    now: systemClock.now(),
    workers: app.exportWorkers,
  };
  try {
    if (values.out) {
      const { manifest } = await exportEventsToFile(deps, { ...options, file: values.out });
      io.stderr.write(`Exported ${manifest.count} events to ${values.out}\n`);
    } else {
      const { manifest } = await exportEvents(deps, { ...options, out: io.stdout });
      if (format === 'csv') io.stderr.write(`${JSON.stringify({ manifest })}\n`);
    }
  } catch (error) {
    if (error instanceof DomainError) throw new CliError(error.message);
    throw error;
  } finally {
    await app.close();
  }
}
