import { parseArgs } from 'node:util';
import {
  displayNameSchema,
  emailSchema,
  MIN_PASSWORD_LENGTH,
  roleSchema,
} from '../../../shared/domain';
import { createApp } from '../../app';
import { DomainError } from '../../domain-error';
import { resolveDbPath } from '../../paths';
import { CliError } from '../cli-error';
import { CLI_CLIENT, type CliIo } from '../cli-io';
import { parseOption, readPasswordFromStdin } from '../io';

export const usersUsage = `org2fa users add --db PATH --email EMAIL --name NAME --role member|site_admin|enterprise_admin --password-stdin
  Adds a user to the organization.`;

export async function usersCommand(argv: string[], io: CliIo): Promise<void> {
  const [sub, ...rest] = argv;
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

  const app = await createApp({ dbPath: resolveDbPath(values.db, io.env), logger: io.logger });
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
