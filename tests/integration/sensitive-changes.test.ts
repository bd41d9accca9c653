import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultPatternSettings } from '../../src/main/detections/registry';
import { bundledFiles } from '../../src/main/geo/geo-sources';
import type { AuditEventType } from '../../src/shared/audit-events';
import type { AccountNotice } from '../../src/shared/domain';
import {
  addMember,
  auditRows,
  enroll,
  fails,
  ok,
  orgWithAdmin,
  signIn,
  totpFor,
  type Caller,
} from '../support/console-driver';
import { ADMIN, createTempApp, type TempApp } from '../support/temp-app';

const PROOF_WINDOW_MS = 5 * 60_000;

/**
 * Every sensitive change asks for a recent re-authentication, in the router, whatever the
 * transport. Each row names a call, how to build its input for the member "mia", what it
 * changes, and whether even a proof from a minute ago is too old ("fresh": it must come now).
 */
interface SensitiveCall {
  name: string;
  input(ids: { miaId: string }): Record<string, unknown>;
  fresh: boolean;
  /** The audit event the change writes (so a refused call provably wrote none). */
  auditType: AuditEventType;
}

/** A folder with a MaxMind file (a link to the bundled one), made on first use. */
let geoFolder: string | null = null;
function ownGeoFolder(): string {
  if (geoFolder) return geoFolder;
  geoFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'org2fa-geoip-'));
  fs.symlinkSync(bundledFiles().cityV4, path.join(geoFolder, 'DBIP-City-Lite.mmdb'));
  return geoFolder;
}
afterAll(() => {
  if (geoFolder) fs.rmSync(geoFolder, { recursive: true, force: true });
});

const adminCalls: SensitiveCall[] = [
  {
    name: 'org.updateSettings',
    input: () => ({ enabled: true, required: true }),
    fresh: false,
    auditType: 'com.alaigned.organization.2fa.settings_changed',
  },
  {
    name: 'users.setRole',
    input: ({ miaId }) => ({ userId: miaId, role: 'site_admin' }),
    fresh: false,
    auditType: 'com.alaigned.user.role_changed',
  },
  {
    name: 'users.deactivate',
    input: ({ miaId }) => ({ userId: miaId }),
    fresh: false,
    auditType: 'com.alaigned.user.deactivated',
  },
  {
    name: 'users.add',
    input: () => ({ email: 'new@acme.test', name: 'New Person', role: 'member' }),
    fresh: false,
    auditType: 'com.alaigned.user.created',
  },
  {
    name: 'users.resetTwoFactor',
    input: ({ miaId }) => ({ userId: miaId }),
    fresh: true,
    auditType: 'com.alaigned.auth.2fa.reset',
  },
  {
    name: 'audit.updatePatternSettings',
    input: () => ({
      settings: {
        ...defaultPatternSettings,
        userFailures: { ...defaultPatternSettings.userFailures, minFailures: 9 },
      },
    }),
    fresh: false,
    auditType: 'com.alaigned.audit.pattern_settings_changed',
  },
  {
    name: 'detections.updateTrustedNetworks',
    input: () => ({ networks: [{ value: '203.0.113.0/24', label: 'Office' }], ordinaryPercent: 5 }),
    fresh: false,
    auditType: 'com.alaigned.audit.trusted_networks_changed',
  },
  {
    name: 'detections.trustNetwork',
    input: () => ({ value: 'AS64500', label: 'VPN' }),
    fresh: false,
    auditType: 'com.alaigned.audit.trusted_networks_changed',
  },
  {
    name: 'geo.setDirectory',
    input: () => ({ directory: ownGeoFolder() }),
    fresh: false,
    auditType: 'com.alaigned.audit.geo_directory_changed',
  },
  {
    name: 'rollout.announce',
    // Six weeks after the suite's start: the day everyone would be sent to setup.
    input: () => ({ enforcementDate: '2026-04-13' }),
    fresh: false,
    auditType: 'com.alaigned.rollout.announced',
  },
];

describe('sensitive changes need a recent re-authentication (router, every transport)', () => {
  let temp: TempApp;
  let admin: Caller;
  let adminSecret: string;
  let mia: Caller;
  let miaSecret: string;
  let miaId: string;

  beforeEach(async () => {
    temp = await createTempApp();
    admin = await orgWithAdmin(temp);
    ok(await admin.call('org.updateSettings', { enabled: true, required: false }));
    ({ secret: adminSecret } = await enroll(temp, admin));
    const member = await addMember(temp, 'mia@acme.test');
    mia = await signIn(temp, member.email, member.password);
    ({ secret: miaSecret } = await enroll(temp, mia));
    miaId = (await temp.app.db
      .selectFrom('users')
      .select('id')
      .where('email', '=', 'mia@acme.test')
      .executeTakeFirstOrThrow())!.id;
  });
  afterEach(() => temp.close());

  /** A code from the next step: a step once accepted is never accepted again. */
  const nextCode = (secret: string) => {
    temp.clock.advance(30_000);
    return totpFor(secret, temp.clock.now());
  };
  const written = async (type: AuditEventType) => (await auditRows(temp.app, type)).length;

  /** What a sensitive change could alter: people, roles, 2FA, settings, thresholds, trust. */
  const observable = async () => ({
    users: await temp.app.db
      .selectFrom('users')
      .select(['email', 'role', 'status'])
      .orderBy('email')
      .execute(),
    twoFactor: await temp.app.db.selectFrom('two_factor').select(['user_id', 'status']).execute(),
    settings: ok(await admin.call('org.getSettings')),
    patterns: ok(await admin.call('audit.getPatternSettings')),
    trusted: ok(await admin.call('detections.getTrustedNetworks')),
    geoDirectory: ok<{ directory: string | null }>(await admin.call('geo.about')).directory,
    enforcementDate: ok<{ enforcementDate: string | null }>(await admin.call('rollout.get'))
      .enforcementDate,
  });

  for (const row of adminCalls) {
    it(`${row.name}: refused without a proof once the last one is ${row.fresh ? 'not brand new' : 'over five minutes old'}, and with a wrong code; accepted with a current code`, async () => {
      // The proof given at enrollment is still "recent"; age it past what this call tolerates.
      temp.clock.advance(row.fresh ? 60_000 : PROOF_WINDOW_MS + 1_000);
      const before = await observable();
      const auditedBefore = await written(row.auditType);

      const missing = fails(await admin.call(row.name, row.input({ miaId })), 'INVALID_INPUT');
      expect(missing.message).toMatch(/code/i);
      const wrong = fails(
        await admin.call(row.name, { ...row.input({ miaId }), code: '000000' }),
        'INVALID_CODE',
      );
      expect(wrong.message).toMatch(/code/i);
      // A member's valid code is no proof of the admin's identity.
      fails(
        await admin.call(row.name, {
          ...row.input({ miaId }),
          code: totpFor(miaSecret, temp.clock.now()),
        }),
        'INVALID_CODE',
      );
      expect(await observable()).toEqual(before);
      expect(await written(row.auditType)).toBe(auditedBefore);

      ok(await admin.call(row.name, { ...row.input({ miaId }), code: nextCode(adminSecret) }));
      expect(await observable()).not.toEqual(before);
      expect(await written(row.auditType)).toBe(auditedBefore + 1);
    });
  }

  it('a code is spent by the re-authentication: the same code cannot prove a second change', async () => {
    temp.clock.advance(PROOF_WINDOW_MS + 1_000);
    const code = totpFor(adminSecret, temp.clock.now());
    ok(await admin.call('users.resetTwoFactor', { userId: miaId, code }));
    const member = await addMember(temp, 'sam@acme.test');
    const sam = await signIn(temp, member.email, member.password);
    await enroll(temp, sam);
    const samId = (await temp.app.db
      .selectFrom('users')
      .select('id')
      .where('email', '=', 'sam@acme.test')
      .executeTakeFirstOrThrow())!.id;
    fails(await admin.call('users.resetTwoFactor', { userId: samId, code }), 'INVALID_CODE');
  });

  it('a member disables their own 2FA or regenerates backup codes only with a current code', async () => {
    fails(await mia.call('twoFactor.disable', {}), 'INVALID_INPUT');
    fails(await mia.call('twoFactor.disable', { code: '123456' }), 'INVALID_CODE');
    fails(await mia.call('twoFactor.regenerateBackupCodes', { code: '123456' }), 'INVALID_CODE');
    expect(await written('com.alaigned.auth.2fa.backup_codes.regenerated')).toBe(0);
    ok(await mia.call('twoFactor.regenerateBackupCodes', { code: nextCode(miaSecret) }));
    expect(await written('com.alaigned.auth.2fa.backup_codes.regenerated')).toBe(1);
    // The code that proved the regeneration cannot also prove the disable.
    const code = totpFor(miaSecret, temp.clock.now());
    fails(await mia.call('twoFactor.disable', { code }), 'INVALID_CODE');
    ok(await mia.call('twoFactor.disable', { code: nextCode(miaSecret) }));
    expect(await written('com.alaigned.auth.2fa.disabled')).toBe(1);
  });
});

describe('users are told when an admin reset or turned off their 2FA', () => {
  let temp: TempApp;
  beforeEach(async () => {
    temp = await createTempApp();
  });
  afterEach(() => temp.close());

  const noticesOf = async (c: Caller) =>
    ok<{ notices: AccountNotice[] }>(await c.call('account.notices')).notices;

  it('a reset is told to the user on their next sign-in, by whom and when, until dismissed', async () => {
    const admin = await orgWithAdmin(temp);
    ok(await admin.call('org.updateSettings', { enabled: true, required: false }));
    const { secret: adminSecret } = await enroll(temp, admin);
    const member = await addMember(temp, 'mia@acme.test');
    const mia = await signIn(temp, member.email, member.password);
    await enroll(temp, mia);
    expect(await noticesOf(mia)).toEqual([]);
    const miaId = (await temp.app.db
      .selectFrom('users')
      .select('id')
      .where('email', '=', 'mia@acme.test')
      .executeTakeFirstOrThrow())!.id;

    temp.clock.advance(30_000);
    const resetAt = temp.clock.now();
    ok(
      await admin.call('users.resetTwoFactor', {
        userId: miaId,
        code: totpFor(adminSecret, resetAt),
      }),
    );
    // The reset ended Mia's session; she sees the notice when she is back.
    fails(await mia.call('account.notices'), 'UNAUTHENTICATED');
    const back = await signIn(temp, member.email, member.password);
    const [notice, ...others] = await noticesOf(back);
    expect(others).toEqual([]);
    expect(notice).toMatchObject({
      kind: 'two_factor_reset',
      at: resetAt,
      byName: ADMIN.adminName,
      byEmail: ADMIN.adminEmail,
    });
    // Nobody else is told, and nobody can dismiss someone else's notice.
    expect(await noticesOf(admin)).toEqual([]);
    fails(await admin.call('account.dismissNotice', { id: notice!.id }), 'NOT_FOUND');
    expect(await noticesOf(back)).toHaveLength(1);

    ok(await back.call('account.dismissNotice', { id: notice!.id }));
    expect(await noticesOf(back)).toEqual([]);
    fails(await back.call('account.dismissNotice', { id: notice!.id }), 'NOT_FOUND');
  });

  it('turning 2FA off for the org tells every enrolled user except the admin who did it', async () => {
    const admin = await orgWithAdmin(temp);
    ok(await admin.call('org.updateSettings', { enabled: true, required: false }));
    const { secret: adminSecret } = await enroll(temp, admin);
    const enrolledMember = await addMember(temp, 'mia@acme.test');
    const mia = await signIn(temp, enrolledMember.email, enrolledMember.password);
    await enroll(temp, mia);
    const other = await addMember(temp, 'sam@acme.test');
    const sam = await signIn(temp, other.email, other.password);

    temp.clock.advance(PROOF_WINDOW_MS + 30_000);
    ok(
      await admin.call('org.updateSettings', {
        enabled: false,
        required: false,
        code: totpFor(adminSecret, temp.clock.now()),
      }),
    );
    expect(await noticesOf(mia)).toEqual([
      expect.objectContaining({ kind: 'two_factor_turned_off', byName: ADMIN.adminName }),
    ]);
    expect(await noticesOf(sam)).toEqual([]);
    expect(await noticesOf(admin)).toEqual([]);
  });
});
