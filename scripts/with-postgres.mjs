#!/usr/bin/env node
// Runs a command with a throwaway PostgreSQL cluster on loopback: initdb into a temp folder, start
// on a free port, hand the command its URL in ORG2FA_TEST_POSTGRES, then stop and delete it all.
// Usage: node scripts/with-postgres.mjs <command> [args...]
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** The newest installed server's bin folder (Debian: /usr/lib/postgresql/<major>/bin). */
function serverBinDir() {
  const root = '/usr/lib/postgresql';
  if (!fs.existsSync(root)) return null;
  const majors = fs
    .readdirSync(root)
    .filter((v) => fs.existsSync(path.join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return majors.length ? path.join(root, majors[0], 'bin') : null;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const command = process.argv.slice(2);
if (command.length === 0) {
  console.error('usage: node scripts/with-postgres.mjs <command> [args...]');
  process.exit(2);
}
const bin = serverBinDir();
if (!bin) {
  console.log(
    'SKIPPED: PostgreSQL suites: no PostgreSQL server here (apt-get install postgresql; .ci/run does).',
  );
  process.exit(0);
}

// initdb refuses to run as root: the cluster belongs to the postgres user then.
const asRoot = process.getuid?.() === 0;
const runAs = (file, args, options = {}) =>
  asRoot
    ? execFileSync('runuser', ['-u', 'postgres', '--', path.join(bin, file), ...args], options)
    : execFileSync(path.join(bin, file), args, options);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'org2fa-pg-'));
const data = path.join(dir, 'data');
if (asRoot) execFileSync('chown', ['postgres', dir]);
const port = await freePort();
let started = false;
const stop = () => {
  if (started) {
    try {
      runAs('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop'], { stdio: 'ignore' });
    } catch {
      // Already stopped (a test may stop it to prove reconnection).
    }
    started = false;
  }
  fs.rmSync(dir, { recursive: true, force: true });
};

try {
  runAs('initdb', ['-D', data, '-U', 'org2fa', '-A', 'trust', '-E', 'UTF8', '--no-sync'], {
    stdio: 'ignore',
  });
  // Durability off: a throwaway cluster for tests, where speed matters and a crash loses nothing.
  const serverOptions = [
    `-p ${port}`,
    `-k ${dir}`,
    "-c listen_addresses='127.0.0.1'",
    '-c fsync=off',
    '-c synchronous_commit=off',
    '-c full_page_writes=off',
    '-c max_connections=300',
  ].join(' ');
  runAs(
    'pg_ctl',
    ['-D', data, '-l', path.join(dir, 'server.log'), '-o', serverOptions, '-w', 'start'],
    {
      stdio: 'ignore',
    },
  );
  started = true;
} catch (error) {
  console.error(`with-postgres: could not start PostgreSQL from ${bin}: ${error.message}`);
  const log = path.join(dir, 'server.log');
  if (fs.existsSync(log)) console.error(fs.readFileSync(log, 'utf8'));
  stop();
  process.exit(1);
}

const url = `postgres://org2fa@127.0.0.1:${port}/postgres`;
console.log(`with-postgres: PostgreSQL ${path.basename(path.dirname(bin))} on ${url}`);
const child = spawn(command[0], command.slice(1), {
  stdio: 'inherit',
  env: {
    ...process.env,
    ORG2FA_TEST_POSTGRES: url,
    // Lets a test stop and restart the server (a console must survive losing its database).
    ORG2FA_TEST_POSTGRES_CTL: JSON.stringify({
      pgCtl: path.join(bin, 'pg_ctl'),
      data,
      options: [`-p ${port}`, `-k ${dir}`, "-c listen_addresses='127.0.0.1'", '-c fsync=off'].join(
        ' ',
      ),
      runAsPostgres: asRoot,
      log: path.join(dir, 'server.log'),
    }),
  },
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
const code = await new Promise((resolve) => child.on('exit', (c, s) => resolve(c ?? (s ? 1 : 0))));
stop();
process.exit(code);
