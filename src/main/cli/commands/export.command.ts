import fs from 'node:fs';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { auditFilterSchema } from '../../../shared/contract';
import { exportEvents } from '../../audit/export-events';
import { systemClock } from '../../clock';
import { DomainError } from '../../domain-error';
import { openCliApp } from '../cli-app';
import { CliError } from '../cli-error';
import { CLI_CLIENT, type CliIo } from '../cli-io';
import { parseOption } from '../io';

export const exportUsage = `org2fa export --db PATH --format csv|jsonl [--type T]... [--since ISO] [--until ISO] [--email E] [--ip IP] [--out FILE]
  Streams audit events in chain order (as recorded) to FILE or standard output. JSON Lines end with a manifest
  line; for CSV the manifest goes to FILE.manifest.json (or to stderr when writing to stdout).`;

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
  const format = parseOption(z.enum(['csv', 'jsonl']), values.format, '--format');
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
  const partial = values.out ? `${values.out}.partial` : null;
  const out = partial ? fs.createWriteStream(partial, { mode: 0o600 }) : io.stdout;
  try {
    const { manifest } = await exportEvents(
      { db: app.db, audit: app.services.audit },
      {
        format,
        filters,
        out,
        client: CLI_CLIENT,
        actor: null,
        now: systemClock.now(),
        workers: app.exportWorkers,
      },
    );
    if (partial && values.out) {
      (out as fs.WriteStream).end();
      await once(out, 'close');
      // Only a complete export gets the requested name.
      fs.renameSync(partial, values.out);
      if (format === 'csv')
        fs.writeFileSync(`${values.out}.manifest.json`, `${JSON.stringify(manifest, null, 2)}\n`);
      io.stderr.write(`Exported ${manifest.count} events to ${values.out}\n`);
    } else if (format === 'csv') {
      io.stderr.write(`${JSON.stringify({ manifest })}\n`);
    }
  } catch (error) {
    if (partial) fs.rmSync(partial, { force: true });
    if (error instanceof DomainError) throw new CliError(error.message);
    throw error;
  } finally {
    await app.close();
  }
}
