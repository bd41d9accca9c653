import type { z } from 'zod';
import { CliError } from './cli-error';

/** Reads the first line of standard input: the password, never taken from argv or the env. */
export async function readPasswordFromStdin(
  stdin: NodeJS.ReadableStream & { isTTY?: boolean },
): Promise<string> {
  if (stdin.isTTY) {
    throw new CliError(
      '--password-stdin reads the password from standard input; pipe it in (e.g. printf ... |).',
    );
  }
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) {
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  }
  const line = Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
  if (line.length === 0) throw new CliError('No password on standard input.');
  return line;
}

/** Validates one option with a contract schema; the error names the option. */
export function parseOption<S extends z.ZodType>(
  schema: S,
  value: unknown,
  option: string,
): z.output<S> {
  if (value === undefined) throw new CliError(`Missing ${option}.`);
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new CliError(`${option}: ${result.error.issues[0]?.message ?? 'invalid value'}`);
  }
  return result.data;
}
