import fs from 'node:fs';
import path from 'node:path';

/**
 * Path of the Electron binary if it was downloaded, else null. Electron 42+ fetches its binary
 * from GitHub on first use, which some machines (this project's CI among them) cannot reach.
 */
export function electronBinary(): string | null {
  const packageDir = path.resolve(__dirname, '..', '..', 'node_modules', 'electron');
  const pathFile = path.join(packageDir, 'path.txt');
  if (!fs.existsSync(pathFile)) return null;
  const binary = path.join(packageDir, 'dist', fs.readFileSync(pathFile, 'utf8').trim());
  return fs.existsSync(binary) ? binary : null;
}
