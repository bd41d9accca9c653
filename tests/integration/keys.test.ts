import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/main/app';
import { silentLogger } from '../../src/main/logger';
import { KeyMismatchError } from '../../src/main/keys/key-check';
import { makeTempDir } from '../support/temp-app';

describe('the database key', () => {
  const temp = makeTempDir();
  afterAll(() => temp.cleanup());

  it('is created beside the database on first use, owner-only', async () => {
    const dbPath = path.join(temp.dir, 'a.sqlite');
    const app = await createApp({ dbPath, logger: silentLogger, env: {} });
    await app.close();
    expect(fs.statSync(`${dbPath}.key`).mode & 0o777).toBe(0o600);
    expect(app.keys).toEqual({ source: 'key-file', location: `${dbPath}.key` });
  });

  it('must be the one the database was written with: another key is refused before any use', async () => {
    const dbPath = path.join(temp.dir, 'b.sqlite');
    await (await createApp({ dbPath, logger: silentLogger, env: {} })).close();
    const otherKey = path.join(temp.dir, 'other.key');
    const attempt = createApp({ dbPath, logger: silentLogger, env: { ORG2FA_KEY_FILE: otherKey } });
    await expect(attempt).rejects.toBeInstanceOf(KeyMismatchError);
    await expect(attempt).rejects.toThrow(/not the key this database was written with/);
    // With the right key it opens as before.
    await (await createApp({ dbPath, logger: silentLogger, env: {} })).close();
  });
});
