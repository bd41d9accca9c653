import fs from 'node:fs';
import path from 'node:path';
import type { Configuration } from 'electron-builder';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';

/**
 * The packaged app cannot be built here (electron-builder needs Electron's zip from GitHub), so
 * the fuses it would flip are pinned where they are written: a fuse turned back on by an edit to
 * electron-builder.yml fails here instead of shipping.
 */
const config = parse(
  fs.readFileSync(path.resolve(__dirname, '..', '..', 'electron-builder.yml'), 'utf8'),
) as Configuration;

type Fuses = NonNullable<Configuration['electronFuses']>;

describe('electron-builder.yml', () => {
  it('flips every security fuse of the packaged Electron binary', () => {
    // Required<>: a fuse added by a newer electron-builder fails typecheck until decided here.
    const expected: Required<Omit<Fuses, 'resetAdHocDarwinSignature'>> = {
      // ELECTRON_RUN_AS_NODE would turn the signed app into a plain Node interpreter.
      runAsNode: false,
      enableCookieEncryption: true,
      // NODE_OPTIONS / NODE_EXTRA_CA_CERTS and --inspect would let any local user inject code.
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      // Only the (integrity-checked) app.asar is loaded, never an `app` folder beside it.
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      loadBrowserProcessSpecificV8Snapshot: false,
      // Kept on: the page loads as ES modules from file:// (see electron-builder.yml).
      grantFileProtocolExtraPrivileges: true,
    };
    expect(config.electronFuses).toEqual(expected);
  });

  it('packs the app into an asar archive, which onlyLoadAppFromAsar requires', () => {
    expect(config.asar).toBe(true);
  });
});
