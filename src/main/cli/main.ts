import { DatabaseTooNewError } from '../store/database';
import { consoleLogger } from '../logger';
import { CliError } from './cli-error';
import type { CliIo } from './cli-io';
import { initCommand, initUsage } from './commands/init.command';
import { serveCommand, serveUsage } from './commands/serve.command';
import { auditCommand, auditUsage } from './commands/audit.command';
import { exportCommand, exportUsage } from './commands/export.command';
import { geoCommand, geoUsage } from './commands/geo.command';
import { importCommand, importUsage } from './commands/import.command';
import { patternsCommand, patternsUsage } from './commands/patterns.command';
import { seedDemoCommand, seedDemoUsage } from './commands/seed-demo.command';
import { usersCommand, usersUsage } from './commands/users.command';

const usage = `Usage: org2fa <command> [options]

Commands:
${[initUsage, usersUsage, serveUsage, seedDemoUsage, patternsUsage, importUsage, exportUsage, auditUsage, geoUsage].map((u) => `  ${u.replace(/\n/g, '\n  ')}`).join('\n\n')}

The database is --db PATH, else $ORG2FA_DB, else the desktop app's own file. Every command
locates addresses with $ORG2FA_GEOIP_DIR's .mmdb files when it is set.
`;

const commands: Record<string, (argv: string[], io: CliIo) => Promise<void>> = {
  init: initCommand,
  users: usersCommand,
  serve: serveCommand,
  'seed-demo': seedDemoCommand,
  patterns: patternsCommand,
  import: importCommand,
  export: exportCommand,
  audit: auditCommand,
  geo: geoCommand,
};

/** Runs one CLI invocation; resolves to the process exit code. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(usage);
    return 0;
  }
  const command = Object.prototype.hasOwnProperty.call(commands, name) ? commands[name] : undefined;
  if (!command) {
    io.stderr.write(`org2fa: unknown command "${name}". Run org2fa --help.\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(usage);
    return 0;
  }
  try {
    await command(rest, io);
    return 0;
  } catch (error) {
    if (error instanceof CliError || error instanceof DatabaseTooNewError) {
      io.stderr.write(`org2fa: ${error.message}\n`);
      return error instanceof CliError ? error.exitCode : 1;
    }
    // parseArgs rejects unknown or malformed options with a TypeError carrying a code.
    const code = (error as NodeJS.ErrnoException).code;
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) {
      io.stderr.write(`org2fa: ${(error as Error).message}\n`);
      return 2;
    }
    io.stderr.write(`org2fa: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

function waitForProcessStop(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}

/** Entry point of the bundled `org2fa` binary. */
export function main(): void {
  runCli(process.argv.slice(2), {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    logger: consoleLogger,
    waitForStop: waitForProcessStop,
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`org2fa: ${String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
