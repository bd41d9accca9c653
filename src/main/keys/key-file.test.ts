import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../../tests/support/temp-app';
import { defaultKeyFile, loadOrCreateKeyFile } from './key-file';

describe('key file', () => {
  const temp = makeTempDir();
  afterAll(() => temp.cleanup());

  it('is created owner-only with a random 256-bit key, then reused', () => {
    const file = path.join(temp.dir, 'a.key');
    const first = loadOrCreateKeyFile(file);
    expect(first.master).toHaveLength(32);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(loadOrCreateKeyFile(file).master).toEqual(first.master);
    expect(loadOrCreateKeyFile(path.join(temp.dir, 'b.key')).master).not.toEqual(first.master);
  });

  it('is refused when other users can read it, or when it is not a key file', () => {
    const file = path.join(temp.dir, 'open.key');
    loadOrCreateKeyFile(file);
    fs.chmodSync(file, 0o644);
    expect(() => loadOrCreateKeyFile(file)).toThrow(/readable by other users/);
    const garbage = path.join(temp.dir, 'garbage.key');
    fs.writeFileSync(garbage, 'hello', { mode: 0o600 });
    expect(() => loadOrCreateKeyFile(garbage)).toThrow(/not an Org 2FA Console key file/);
  });

  it('lives beside the database unless ORG2FA_KEY_FILE names it', () => {
    expect(defaultKeyFile('/data/acme.sqlite', {})).toBe('/data/acme.sqlite.key');
    expect(defaultKeyFile('/data/acme.sqlite', { ORG2FA_KEY_FILE: '/keys/acme.key' })).toBe(
      '/keys/acme.key',
    );
  });
});
