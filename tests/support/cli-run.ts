import { PassThrough } from 'node:stream';
import { runCli } from '../../src/main/cli/main';
import { silentLogger } from '../../src/main/logger';
import { ADMIN } from './temp-app';

/** Runs the CLI in-process with the given stdin; returns exit code and what it printed. */
export async function runCliForTest(argv: string[], stdin = '', env: NodeJS.ProcessEnv = {}) {
  const input = new PassThrough();
  input.end(stdin);
  const out: string[] = [];
  const err: string[] = [];
  const collect = (sink: string[]) => {
    const stream = new PassThrough();
    stream.on('data', (chunk: Buffer) => sink.push(chunk.toString('utf8')));
    return stream;
  };
  const code = await runCli(argv, {
    stdin: input,
    stdout: collect(out),
    stderr: collect(err),
    env,
    logger: silentLogger,
    // Never asked to stop: long commands run to the end.
    waitForStop: () => new Promise<void>(() => undefined),
  });
  return { code, stdout: out.join(''), stderr: err.join('') };
}

/** `org2fa init` with the test org and admin (ADMIN), failing loudly if it does not succeed. */
export async function initOrgWithCli(db: string, env: Record<string, string> = {}) {
  const result = await runCliForTest(
    [
      'init',
      '--db',
      db,
      '--org',
      ADMIN.orgName,
      '--admin-email',
      ADMIN.adminEmail,
      '--password-stdin',
    ],
    `${ADMIN.password}\n`,
    env,
  );
  if (result.code !== 0) throw new Error(`org2fa init failed: ${result.stderr}`);
}
