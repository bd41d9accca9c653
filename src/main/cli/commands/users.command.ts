import { parseArgs } from 'node:util';
import { stringify } from 'csv-stringify/sync';
import { z } from 'zod';
import { neutralizeFormula } from '../../../shared/csv-safety';
import { userCsvColumns, userCsvRow } from '../../../shared/users-csv';
import {
  displayNameSchema,
  emailSchema,
  MIN_PASSWORD_LENGTH,
  roleSchema,
} from '../../../shared/domain';
import { DomainError } from '../../domain-error';
import { openCliApp } from '../cli-app';
import { CliError } from '../cli-error';
import { CLI_CLIENT, type CliIo } from '../cli-io';
import { parseOption, readPasswordFromStdin } from '../io';

export const usersUsage = `org2fa users add --db PATH --email EMAIL --name NAME --role member|site_admin|enterprise_admin --password-stdin
  Adds a user to the organization.

org2fa users list --db PATH [--status not_enrolled|enrolled|inactive|locked] [--format csv|json]
  Prints every user with their two-factor status (CSV by default).`;

export async function usersCommand(argv: string[], io: CliIo): Promise<void> {
  const [sub, ...rest] = argv;
  if (sub === 'list') return listUsers(rest, io);
  if (sub !== 'add')
    throw new CliError(`Unknown users command "${sub ?? ''}". Usage:\n${usersUsage}`);
  const { values } = parseArgs({
    args: rest,
    options: {
      db: { type: 'string' },
      email: { type: 'string' },
      name: { type: 'string' },
      role: { type: 'string' },
      'password-stdin': { type: 'boolean', default: false },
    },
    strict: true,
  });
  const email = parseOption(emailSchema, values.email, '--email');
  const name = parseOption(displayNameSchema, values.name, '--name');
  const role = parseOption(roleSchema, values.role, '--role');
  if (!values['password-stdin'])
    throw new CliError('users add needs --password-stdin (the password is never an argument).');
  const password = await readPasswordFromStdin(io.stdin);
  if (password.length < MIN_PASSWORD_LENGTH) {
    io.stderr.write(`warning: the password is shorter than ${MIN_PASSWORD_LENGTH} characters.\n`);
  }

  const app = await openCliApp(io, values.db);
  try {
    await app.services.users.add({ email, name, role, password }, CLI_CLIENT, null);
    io.stdout.write(`Added ${role} ${email}\n`);
  } catch (error) {
    if (error instanceof DomainError) throw new CliError(error.message);
    throw error;
  } finally {
    await app.close();
  }
}

const statusSchema = z.enum(['not_enrolled', 'enrolled', 'inactive', 'locked']);
const formatSchema = z.enum(['csv', 'json']);

async function listUsers(argv: string[], io: CliIo): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      db: { type: 'string' },
      status: { type: 'string' },
      format: { type: 'string', default: 'csv' },
    },
    strict: true,
  });
  const status =
    values.status === undefined ? undefined : parseOption(statusSchema, values.status, '--status');
  const format = parseOption(formatSchema, values.format, '--format');
  const app = await openCliApp(io, values.db);
  try {
    const users = await app.services.users.list({ status });
    if (format === 'json') {
      io.stdout.write(`${JSON.stringify(users, null, 2)}\n`);
    } else {
      const rows = users.map((user) => userCsvRow(user).map(neutralizeFormula));
      io.stdout.write(stringify([[...userCsvColumns], ...rows]));
    }
  } finally {
    await app.close();
  }
}
