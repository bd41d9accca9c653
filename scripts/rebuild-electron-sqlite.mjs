#!/usr/bin/env node
// Builds better-sqlite3 for Electron's ABI into build/electron-native/, from a copy of the package,
// so the Node build in node_modules (used by the CLI, the web host and the tests) stays untouched.
// Needs Electron's headers from electronjs.org.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outDir = path.join(root, 'build', 'electron-native');
const sourceCopy = path.join(outDir, 'better-sqlite3-src');
const electronVersion = require('electron/package.json').version;
const nodeGyp = require.resolve('node-gyp/bin/node-gyp.js');

fs.rmSync(sourceCopy, { recursive: true, force: true });
fs.mkdirSync(outDir, { recursive: true });
fs.cpSync(path.join(root, 'node_modules', 'better-sqlite3'), sourceCopy, {
  recursive: true,
  filter: (src) =>
    !src.includes(`${path.sep}build${path.sep}`) && !src.endsWith(`${path.sep}build`),
});

// npm passes the user's nodedir (Node's own headers) down; it must not reach this build.
const env = { ...process.env };
for (const key of Object.keys(env)) if (/^npm_config_nodedir$/i.test(key)) delete env[key];

const result = spawnSync(
  process.execPath,
  [
    nodeGyp,
    'rebuild',
    '--release',
    '--runtime=electron',
    `--target=${electronVersion}`,
    '--dist-url=https://electronjs.org/headers',
    `--arch=${process.arch}`,
  ],
  { cwd: sourceCopy, env, stdio: 'inherit' },
);
if (result.status !== 0) {
  console.error(
    `better-sqlite3 could not be built for Electron ${electronVersion} (node-gyp exited ${result.status}).`,
  );
  process.exit(1);
}
fs.copyFileSync(
  path.join(sourceCopy, 'build', 'Release', 'better_sqlite3.node'),
  path.join(outDir, 'better_sqlite3.node'),
);
fs.rmSync(sourceCopy, { recursive: true, force: true });
console.log(
  `Built better-sqlite3 for Electron ${electronVersion}: ${path.join(outDir, 'better_sqlite3.node')}`,
);
