import type { Logger } from '../logger';
import type { ClientInfo } from '../client-info';

/** What a command may touch of the process, injectable so commands run in tests too. */
export interface CliIo {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
  logger: Logger;
  /** Resolves when the process is asked to stop (SIGINT/SIGTERM); only long-running commands wait. */
  waitForStop(): Promise<void>;
}

/** How audit rows record changes made at this machine's command line. */
export const CLI_CLIENT: ClientInfo = { ip: '127.0.0.1', userAgent: 'org2fa-cli' };
