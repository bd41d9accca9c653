import { parseArgs } from 'node:util';
import { openCliApp } from '../cli-app';
import { CliError } from '../cli-error';
import type { CliIo } from '../cli-io';

export const geoUsage = `org2fa geo lookup --db PATH IP...
  Prints where each address is, one JSON line each: {ip, internal, country, asn, asOrg, latitude,
  longitude}, from the bundled data or the admin's own files (ORG2FA_GEOIP_DIR, else the folder
  saved in the console; ORG2FA_GEOIP=off turns lookups off).`;

export async function geoCommand(argv: string[], io: CliIo): Promise<void> {
  const [sub, ...rest] = argv;
  if (sub !== 'lookup')
    throw new CliError(`Unknown geo command "${sub ?? ''}". Usage:\n${geoUsage}`);
  const { values, positionals } = parseArgs({
    args: rest,
    options: { db: { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length === 0)
    throw new CliError(`Name at least one address. Usage:\n${geoUsage}`, 2);
  const app = await openCliApp(io, values.db);
  try {
    const answers = app.services.geo.lookup(positionals);
    const invalid = answers.find((answer) => answer === null);
    if (invalid !== undefined)
      throw new CliError(
        `${positionals[answers.indexOf(invalid)]}: not an IPv4 or IPv6 address`,
        2,
      );
    for (const answer of answers) io.stdout.write(`${JSON.stringify(answer)}\n`);
  } finally {
    await app.close();
  }
}
