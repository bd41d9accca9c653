#!/usr/bin/env node
// `npm start`: the desktop window where the Electron binary can be fetched; otherwise the very
// same console on the loopback web host, with the URL to open in a browser.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const electronDir = path.join(root, 'node_modules', 'electron');
const nativeBinding = path.join(root, 'build', 'electron-native', 'better_sqlite3.node');
const passThrough = process.argv.slice(2);

function electronBinary() {
  const pathFile = path.join(electronDir, 'path.txt');
  if (!fs.existsSync(pathFile)) return null;
  const binary = path.join(electronDir, 'dist', fs.readFileSync(pathFile, 'utf8').trim());
  return fs.existsSync(binary) ? binary : null;
}

function lastLine(text) {
  const lines = String(text ?? '')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  return (lines.find((l) => /error|fail/i.test(l)) ?? lines.at(-1) ?? 'no output').slice(0, 160);
}

/** The Electron binary, downloading it on first use; or why it cannot be had. */
function ensureElectron() {
  const existing = electronBinary();
  if (existing) return { binary: existing };
  const result = spawnSync(process.execPath, [path.join(electronDir, 'install.js')], {
    encoding: 'utf8',
    timeout: 180_000,
  });
  const binary = electronBinary();
  return binary ? { binary } : { reason: lastLine(result.stderr || result.stdout || result.error) };
}

/** better-sqlite3 built for Electron's ABI, kept apart from the Node build the CLI and tests use. */
function ensureNativeBinding() {
  if (fs.existsSync(nativeBinding)) return { ok: true };
  const result = spawnSync(
    process.execPath,
    [path.join(root, 'scripts', 'rebuild-electron-sqlite.mjs')],
    {
      encoding: 'utf8',
      stdio: ['ignore', 'inherit', 'pipe'],
    },
  );
  return fs.existsSync(nativeBinding) ? { ok: true } : { reason: lastLine(result.stderr) };
}

function run(command, args) {
  const child = spawn(command, args, { stdio: 'inherit', cwd: root });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code) => process.exit(code ?? 0));
}

function serveInstead(reason) {
  console.log(
    `Electron is not available on this machine (${reason}); serving the same console on the loopback web host instead: open the URL below in a browser.`,
  );
  run(process.execPath, [path.join(root, 'bin', 'org2fa.js'), 'serve', ...passThrough]);
}

const electron = ensureElectron();
if (!electron.binary) {
  serveInstead(`its binary could not be downloaded: ${electron.reason}`);
} else {
  const native = ensureNativeBinding();
  if (!native.ok) serveInstead(`better-sqlite3 could not be built for Electron: ${native.reason}`);
  else run(electron.binary, [root, ...passThrough]);
}
