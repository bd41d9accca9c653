import { parseArgs } from 'node:util';
import {
  rebuildHourlyCounts,
  verificationReport,
  verifyAuditChain,
} from '../../audit/audit-verify';
import { openCliApp } from '../cli-app';
import { CliError } from '../cli-error';
import type { CliIo } from '../cli-io';

export const auditUsage = `org2fa audit verify --db PATH
  Walks the audit trail's hash chain: exit 0 with the count when intact, else exit 1 naming the
  first event whose content or link does not match, or the first hour whose chart count does not.
org2fa audit recount --db PATH
  Rebuilds the hourly counts the charts read from the trail itself.`;

export async function auditCommand(argv: string[], io: CliIo): Promise<void> {
  const [sub, ...rest] = argv;
  if (sub !== 'verify' && sub !== 'recount')
    throw new CliError(`Unknown audit command "${sub ?? ''}". Usage:\n${auditUsage}`);
  const { values } = parseArgs({ args: rest, options: { db: { type: 'string' } }, strict: true });
  const app = await openCliApp(io, values.db);
  try {
    if (sub === 'recount') {
      const rows = await rebuildHourlyCounts(app.db);
      io.stdout.write(`hourly counts rebuilt from the trail: ${rows} hour and type rows\n`);
      return;
    }
    const report = verificationReport(await verifyAuditChain(app.db));
    if (!report.ok)
      throw new CliError(
        `audit trail is NOT intact: ${report.message} (${report.count} events before it are intact)`,
      );
    io.stdout.write(`audit trail intact: ${report.count} events, head ${report.headHash}\n`);
  } finally {
    await app.close();
  }
}
