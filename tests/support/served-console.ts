import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import type { Envelope } from '../../src/shared/envelope';
import { rawRequest } from './raw-http';

/** A script-style client of a served console: Bearer launch token, its own session cookie. */
export interface ConsoleClient {
  call<T = Record<string, unknown>>(name: string, input?: unknown): Promise<Envelope<T>>;
}

export interface ServedConsole {
  url: URL;
  client(): ConsoleClient;
  stop(): Promise<void>;
}

/** `org2fa serve` (the built binary) in its own process on `db`. */
export async function serveConsole(
  db: string,
  env: Record<string, string> = {},
): Promise<ServedConsole> {
  const child: ChildProcess = spawn(
    process.execPath,
    [path.resolve('bin/org2fa.js'), 'serve', '--db', db, '--port', '0'],
    { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env } },
  );
  const url = new URL(
    await new Promise<string>((resolve, reject) => {
      readline.createInterface({ input: child.stdout! }).once('line', resolve);
      child.once('exit', (code) => reject(new Error(`org2fa serve exited with ${code}`)));
    }),
  );
  const port = Number(url.port);
  const token = url.searchParams.get('token')!;
  return {
    url,
    client() {
      let cookie = '';
      return {
        async call<T>(name: string, input: unknown = {}) {
          const response = await rawRequest({
            port,
            path: `/api/${name}`,
            method: 'POST',
            headers: {
              Authorization: `Bearer ${token}`,
              'Content-Type': 'application/json',
              ...(cookie ? { Cookie: cookie } : {}),
            },
            body: JSON.stringify(input),
          });
          for (const set of ([] as string[]).concat(response.headers['set-cookie'] ?? [])) {
            if (set.startsWith(`org2fa_session_${port}=`)) cookie = set.split(';')[0]!;
          }
          return JSON.parse(response.body) as Envelope<T>;
        },
      };
    },
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    },
  };
}
