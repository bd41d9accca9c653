import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  auditRows,
  fails,
  ok,
  orgWithAdmin,
  totpFor,
  type Caller,
} from '../support/console-driver';
import { createTempApp, type TempApp } from '../support/temp-app';

interface Setup {
  secret: string;
  otpauthUri: string;
  qrPngDataUrl: string;
}

function oathtool(secret: string, epochSeconds: number): string {
  return execFileSync('oathtool', ['--totp', '-b', secret, '-N', `@${epochSeconds}`], {
    encoding: 'utf8',
  }).trim();
}

describe('TOTP enrollment', () => {
  let temp: TempApp;
  let admin: Caller;
  beforeEach(async () => {
    temp = await createTempApp();
    admin = await orgWithAdmin(temp);
    ok(await admin.call('org.updateSettings', { enabled: true, required: false }));
  });
  afterEach(() => temp.close());

  it('hands out a 160-bit secret as an otpauth URI, a QR code zbarimg reads, and a manual key', async () => {
    const setup = ok<Setup>(await admin.call('twoFactor.beginSetup'));
    expect(setup.secret).toMatch(/^[A-Z2-7]{32}$/); // 32 base32 chars = 160 bits, no padding
    expect(setup.otpauthUri).toBe(
      `otpauth://totp/Acme%20Corp:ada%40acme.test?secret=${setup.secret}&issuer=Acme%20Corp&algorithm=SHA1&digits=6&period=30`,
    );
    expect(setup.qrPngDataUrl).toMatch(/^data:image\/png;base64,/);
    const png = path.join(temp.dir, 'qr.png');
    fs.writeFileSync(png, Buffer.from(setup.qrPngDataUrl.split(',')[1]!, 'base64'));
    const decoded = execFileSync('zbarimg', ['-q', '--raw', png], { encoding: 'utf8' }).trim();
    expect(decoded).toBe(setup.otpauthUri);
    // A second setup gets a different secret.
    expect(ok<Setup>(await admin.call('twoFactor.beginSetup')).secret).not.toBe(setup.secret);
  });

  it('activates only after one correct code computed by oathtool, then issues 10 backup codes', async () => {
    const setup = ok<Setup>(await admin.call('twoFactor.beginSetup'));
    expect(ok(await admin.call('twoFactor.status'))).toMatchObject({
      enrolled: false,
      pendingSetup: true,
      active: false,
    });
    fails(await admin.call('twoFactor.confirmSetup', { code: '000000' }), 'INVALID_CODE');
    expect(ok(await admin.call('twoFactor.status'))).toMatchObject({ enrolled: false });

    const now = Math.floor(temp.clock.now() / 1000);
    const { backupCodes } = ok<{ backupCodes: string[] }>(
      await admin.call('twoFactor.confirmSetup', { code: oathtool(setup.secret, now) }),
    );
    expect(backupCodes).toHaveLength(10);
    expect(new Set(backupCodes).size).toBe(10);
    expect(ok(await admin.call('twoFactor.status'))).toMatchObject({
      enrolled: true,
      active: true,
      pendingSetup: false,
      backupCodesLeft: 10,
      canDisable: true,
    });
    const [enabled] = await auditRows(temp.app, 'com.alaigned.auth.2fa.enabled');
    expect(enabled).toMatchObject({
      email: 'ada@acme.test',
      ip: '198.51.100.1',
      method: 'totp',
      details: { backupCodesIssued: 10 },
    });
    fails(await admin.call('twoFactor.beginSetup'), 'CONFLICT');
  });

  it('restarting setup replaces the pending secret (the guide’s “refresh the page”)', async () => {
    const first = ok<Setup>(await admin.call('twoFactor.beginSetup'));
    const second = ok<Setup>(await admin.call('twoFactor.beginSetup'));
    const rows = await temp.app.db.selectFrom('two_factor').selectAll().execute();
    expect(rows).toHaveLength(1);
    fails(
      await admin.call('twoFactor.confirmSetup', { code: totpFor(first.secret, temp.clock.now()) }),
      'INVALID_CODE',
    );
    ok(
      await admin.call('twoFactor.confirmSetup', {
        code: totpFor(second.secret, temp.clock.now()),
      }),
    );
  });

  it('does not take a backup-code-shaped answer as setup confirmation', async () => {
    await admin.call('twoFactor.beginSetup');
    const error = fails(
      await admin.call('twoFactor.confirmSetup', { code: 'AAAA-BBBB-CCCC-DDDD' }),
      'INVALID_CODE',
    );
    expect(error.message).toBe(
      'That code is not correct. Enter the 6-digit code your authenticator app shows for this account now.',
    );
  });
});
