import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const TIME_BINARY = '/usr/bin/time';

/** Median wall time in ms of `runs` calls after one untimed warm-up call. */
export async function medianMs(runs: number, work: () => unknown): Promise<number> {
  await work();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    await work();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

export interface ProcessFigures {
  seconds: number;
  peakRssMb: number;
}

/**
 * Runs a program to completion under GNU time, which reads the child's peak RSS from the kernel
 * (wait4's ru_maxrss): exact, with no sampling. stdout goes to `stdoutFile` when given.
 */
export async function runMeasured(
  command: string,
  args: string[],
  options: { stdoutFile?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<ProcessFigures> {
  const report = path.join(os.tmpdir(), `org2fa-bench-time-${process.pid}-${Date.now()}.txt`);
  const stdout = options.stdoutFile ? fs.openSync(options.stdoutFile, 'w') : 'ignore';
  const stderr: Buffer[] = [];
  try {
    const child = spawn(TIME_BINARY, ['-o', report, '-f', '%e %M', command, ...args], {
      stdio: ['ignore', stdout, 'pipe'],
      env: options.env ?? process.env,
    });
    child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk));
    const code = await new Promise<number | null>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', resolve);
    });
    if (code !== 0)
      throw new Error(
        `${command} ${args.join(' ')} failed (exit ${code}):\n${Buffer.concat(stderr).toString()}`,
      );
    const [seconds, maxRssKb] = fs.readFileSync(report, 'utf8').trim().split(/\s+/).map(Number);
    return { seconds: seconds!, peakRssMb: maxRssKb! / 1024 };
  } finally {
    if (typeof stdout === 'number') fs.closeSync(stdout);
    fs.rmSync(report, { force: true });
  }
}

/** Refuses to start without the tools the references need, naming the package to install. */
export function assertReferenceTools(engine: 'sqlite' | 'postgres'): void {
  const missing = [
    [TIME_BINARY, 'time'],
    engine === 'postgres'
      ? ['/usr/bin/psql', 'postgresql-client']
      : ['/usr/bin/sqlite3', 'sqlite3'],
  ].filter(([file]) => !fs.existsSync(file!));
  if (missing.length > 0)
    throw new Error(
      `The benchmark's references need ${missing.map(([file]) => file).join(' and ')}: ` +
        `apt-get install -y ${missing.map(([, pkg]) => pkg).join(' ')}`,
    );
}
