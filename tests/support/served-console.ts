import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import type { Envelope } from '../../src/shared/envelope';
import { rawRequest } from './raw-http';

/** A script-style client of a served console: Bearer launch token, its own session cookie. */
export interface ConsoleClient {
  call<T = Record<string, unknown>>(name: string, input?: unknown): Promise<Envelope<T>>;
  /** Sends `body` exactly as given (malformed JSON included) and answers the raw response. */
  send(name: string, body: string): Promise<{ status: number; body: string }>;
}

export interface ServedConsole {
  url: URL;
  client(): ConsoleClient;
  /** Everything the process printed on stdout and stderr so far (with `captureOutput`). */
  output(): Buffer;
  stop(): Promise<void>;
}

/** `org2fa serve` (the built binary) in its own process on `db`. */
export async function serveConsole(
  db: string,
  env: Record<string, string> = {},
  options: { captureOutput?: boolean } = {},
): Promise<ServedConsole> {
  const child: ChildProcess = spawn(
    process.execPath,
    [path.resolve('bin/org2fa.js'), 'serve', '--db', db, '--port', '0'],
    {
      stdio: ['ignore', 'pipe', options.captureOutput ? 'pipe' : 'inherit'],
      env: { ...process.env, ...env },
    },
  );
  const printed: Buffer[] = [];
  child.stderr?.on('data', (chunk: Buffer) => printed.push(chunk));
  const lines = readline.createInterface({ input: child.stdout! });
  const url = new URL(
    await new Promise<string>((resolve, reject) => {
      lines.once('line', resolve);
      child.once('exit', (code) => reject(new Error(`org2fa serve exited with ${code}`)));
    }),
  );
  lines.on('line', (line) => printed.push(Buffer.from(`${line}\n`)));
  const port = Number(url.port);
  const token = url.searchParams.get('token')!;
  return {
    url,
    client() {
      let cookie = '';
      const send = async (name: string, body: string) => {
        const response = await rawRequest({
          port,
          path: `/api/${name}`,
          method: 'POST',
          headers: {
            Authorization: `Bearer ${token}`,
            'Content-Type': 'application/json',
            ...(cookie ? { Cookie: cookie } : {}),
          },
          body,
        });
        for (const set of ([] as string[]).concat(response.headers['set-cookie'] ?? [])) {
          if (set.startsWith(`org2fa_session_${port}=`)) cookie = set.split(';')[0]!;
        }
        return { status: response.status, body: response.body };
      };
      return {
        send,
        async call<T>(name: string, input: unknown = {}) {
          return JSON.parse((await send(name, JSON.stringify(input))).body) as Envelope<T>;
        },
      };
    },
    output: () => Buffer.concat(printed),
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    },
  };
}
