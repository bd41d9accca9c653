#!/usr/bin/env node
// `npm test`: every check and suite, in stages, with each stage's time printed so a slow one shows.
// The static checks and the build are independent processes: they run side by side. The suites
// run one after another (each already uses both cores). Stops at the first failing stage.
import { spawn } from 'node:child_process';

const stages = [
  // The build reads only sources and writes out/, which lint and typecheck ignore.
  ['lint', 'lint:electron', 'typecheck', 'build'],
  ['test:unit'],
  ['test:postgres'],
  ['test:e2e'],
];

/** Runs `npm run <script>`; side-by-side scripts keep their output until they end. */
function run(script, buffered) {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', '--silent', script], {
      stdio: buffered ? ['ignore', 'pipe', 'pipe'] : 'inherit',
    });
    const output = [];
    if (buffered) {
      child.stdout.on('data', (chunk) => output.push(chunk));
      child.stderr.on('data', (chunk) => output.push(chunk));
    }
    child.on('close', (code) => {
      if (buffered) process.stdout.write(Buffer.concat(output));
      const seconds = ((Date.now() - started) / 1000).toFixed(0);
      console.log(
        `[npm test] ${script}: ${code === 0 ? 'ok' : `FAILED (exit ${code})`} in ${seconds} s`,
      );
      resolve(code ?? 1);
    });
  });
}

const started = Date.now();
let status = 0;
for (const stage of stages) {
  const codes = await Promise.all(stage.map((script) => run(script, stage.length > 1)));
  status = codes.find((code) => code !== 0) ?? 0;
  if (status !== 0) break;
}
console.log(
  `[npm test] ${status === 0 ? 'all stages passed' : 'stopped'} after ${((Date.now() - started) / 1000).toFixed(0)} s`,
);
process.exit(status);
