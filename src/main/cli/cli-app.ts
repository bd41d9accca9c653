import { createApp, type App } from '../app';
import { resolveDbPath } from '../paths';
import type { CliIo } from './cli-io';

/**
 * The console core a command works on: the database `--db` names (else ORG2FA_DB, settings.json,
 * the default file), with the command's environment for the key and its logger.
 */
export function openCliApp(io: CliIo, dbFlag: string | undefined): Promise<App> {
  return createApp({ dbPath: resolveDbPath(dbFlag, io.env), logger: io.logger, env: io.env });
}
