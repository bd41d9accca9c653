import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { importEventFile, rejectedFileName } from '../../audit/import-events';
import { systemClock } from '../../clock';
import { DomainError } from '../../domain-error';
import { openCliApp } from '../cli-app';
import { CliError } from '../cli-error';
import { CLI_CLIENT, type CliIo } from '../cli-io';
import { terminalProgress } from '../progress';

export const importUsage = `org2fa import --db PATH [--skip-invalid] FILE...
  Imports audit events from JSON Lines or CSV files (see the README for the format). A file with
  any bad line imports nothing and names the line; --skip-invalid imports the good lines and
  writes the rejected ones with reasons to ${rejectedFileName('FILE')}. Importing twice adds nothing.`;

export async function importCommand(argv: string[], io: CliIo): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { db: { type: 'string' }, 'skip-invalid': { type: 'boolean', default: false } },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length === 0)
    throw new CliError(`Name at least one file to import. Usage:\n${importUsage}`);
  for (const file of positionals) {
    if (!fs.existsSync(file)) throw new CliError(`${file}: no such file`);
  }
  const app = await openCliApp(io, values.db);
  const controller = new AbortController();
  void io.waitForStop().then(() => controller.abort());
  try {
    for (const file of positionals) {
      const progress = terminalProgress(io.stderr, `Importing ${file}`, 'bytes');
      try {
        const result = await importEventFile(
          { db: app.db, clock: systemClock, audit: app.services.audit },
          {
            file,
            skipInvalid: values['skip-invalid'],
            signal: controller.signal,
            onProgress: (p) => progress.update(p.bytesRead, p.totalBytes),
            client: CLI_CLIENT,
            actor: null,
          },
        );
        progress.done();
        io.stdout.write(
          `${file}: imported ${result.imported} events` +
            (result.duplicates ? `, ${result.duplicates} already present` : '') +
            (result.rejected ? `, ${result.rejected} rejected (see ${result.rejectedFile})` : '') +
            '\n',
        );
      } catch (error) {
        progress.done();
        if (error instanceof DomainError) throw new CliError(error.message);
        throw error;
      }
    }
  } finally {
    await app.close();
  }
}
