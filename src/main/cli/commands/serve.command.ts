import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startWebHost } from '../../host/web-host';
import { openCliApp } from '../cli-app';
import { CliError } from '../cli-error';
import type { CliIo } from '../cli-io';

export const serveUsage = `org2fa serve [--db PATH] [--port N]
  Serves the console to a browser on this machine (127.0.0.1 only). Prints the URL to open,
  with its one-time launch token, as the first line. --port 0 (the default) picks a free port.`;

/** The renderer build sits beside the CLI bundle: out/cli/org2fa.js → out/renderer. */
export function defaultRendererDir(): string {
  return path.resolve(__dirname, '..', 'renderer');
}

export async function serveCommand(
  argv: string[],
  io: CliIo,
  rendererDir = defaultRendererDir(),
): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { db: { type: 'string' }, port: { type: 'string', default: '0' } },
    strict: true,
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new CliError(`--port: "${values.port}" is not a port number (0-65535).`);
  }
  if (!fs.existsSync(path.join(rendererDir, 'index.html'))) {
    throw new CliError(
      `The console's web files are missing in ${rendererDir}; run npm run build first.`,
    );
  }
  const app = await openCliApp(io, values.db);
  let host;
  try {
    host = await startWebHost({ app, port, rendererDir, logger: io.logger });
  } catch (error) {
    await app.close();
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE')
      throw new CliError(`Port ${port} is already in use; pick another or use --port 0.`);
    throw error;
  }
  io.stdout.write(`${host.url}\n`);
  io.stderr.write(
    `Org 2FA Console is serving ${app.dbLocation} on 127.0.0.1:${host.port} (Ctrl+C to stop).\n`,
  );
  await io.waitForStop();
  await host.close();
  await app.close();
}
