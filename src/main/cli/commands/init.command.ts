import { parseArgs } from 'node:util';
import {
  displayNameSchema,
  emailSchema,
  MIN_PASSWORD_LENGTH,
  orgNameSchema,
} from '../../../shared/domain';
import { DomainError } from '../../domain-error';
import { openCliApp } from '../cli-app';
import { CliError } from '../cli-error';
import { parseOption, readPasswordFromStdin } from '../io';
import { CLI_CLIENT, type CliIo } from '../cli-io';

export const initUsage = `org2fa init --db PATH --org NAME --admin-email EMAIL [--admin-name NAME] --password-stdin
  Creates the organization and its first Site Admin. Refuses if the database already has one.`;

export async function initCommand(argv: string[], io: CliIo): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      db: { type: 'string' },
      org: { type: 'string' },
      'admin-email': { type: 'string' },
      'admin-name': { type: 'string' },
      'password-stdin': { type: 'boolean', default: false },
    },
    strict: true,
  });
  const orgName = parseOption(orgNameSchema, values.org, '--org');
  const adminEmail = parseOption(emailSchema, values['admin-email'], '--admin-email');
  const adminName = parseOption(
    displayNameSchema,
    values['admin-name'] ?? adminEmail.split('@')[0],
    '--admin-name',
  );
  if (!values['password-stdin'])
    throw new CliError('init needs --password-stdin (the password is never an argument).');
  const password = await readPasswordFromStdin(io.stdin);
  if (password.length < MIN_PASSWORD_LENGTH) {
    io.stderr.write(
      `warning: the password is shorter than ${MIN_PASSWORD_LENGTH} characters; change it after signing in.\n`,
    );
  }

  const app = await openCliApp(io, values.db);
  try {
    await app.services.org.create({ orgName, adminName, adminEmail, password }, CLI_CLIENT);
    io.stdout.write(
      `Created organization "${orgName}" with Site Admin ${adminEmail} in ${app.dbLocation}\n`,
    );
  } catch (error) {
    if (error instanceof DomainError) throw new CliError(error.message);
    throw error;
  } finally {
    await app.close();
  }
}
