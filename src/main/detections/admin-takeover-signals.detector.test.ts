import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runDetector } from '../../../tests/support/detectors';
import { DAY, history, HOUR, MINUTE } from '../../../tests/support/history';
import { createTempApp, type TempApp } from '../../../tests/support/temp-app';
import adminTakeoverSignals from './admin-takeover-signals.detector';

const RESET = 'com.alaigned.auth.2fa.reset';
const DISABLED = 'com.alaigned.auth.2fa.disabled';
const REGENERATED = 'com.alaigned.auth.2fa.backup_codes.regenerated';
const SETTINGS = 'com.alaigned.organization.2fa.settings_changed';
const BY_BOSS = { wasActive: true, actorId: 'boss', actorEmail: 'boss@acme.test' };

describe('admin_takeover_signals detector', () => {
  let temp: TempApp;
  let now: number;
  beforeEach(async () => {
    temp = await createTempApp();
    now = temp.clock.now();
  });
  afterEach(() => temp.close());

  const page = async (filter: object) =>
    (await temp.app.analytics.run('page', { ...filter, limit: 1000 })).events;

  it('an admin resetting 2FA for 6 users within half an hour: high; 4 within the hour, or users turning their own off, are not', async () => {
    const h = history();
    for (let i = 0; i < 6; i++)
      h.event(RESET, now - 5 * HOUR + i * 5 * MINUTE, `u${i}`, '198.51.100.10', BY_BOSS);
    for (let i = 0; i < 4; i++)
      h.event(RESET, now - 2 * DAY + i * 15 * MINUTE, `v${i}`, '198.51.100.10', BY_BOSS);
    for (let i = 0; i < 6; i++)
      h.event(DISABLED, now - 3 * DAY + i * MINUTE, `w${i}`, '203.0.113.5', { by: 'self' });
    await h.writeTo(temp.app);
    const [finding, ...rest] = await runDetector(adminTakeoverSignals, temp.app, now);
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({
      severity: 'high',
      users: ['boss@acme.test'],
      ips: ['198.51.100.10'],
      count: 6,
      remedies: ['reset_two_factor'],
      why: 'boss@acme.test reset or turned off 2FA for 6 users within 25 minutes (5 or more within 60 minutes is not routine help-desk work).',
    });
    expect(await page(finding!.filter)).toHaveLength(6);
    const four = await runDetector(adminTakeoverSignals, temp.app, now, { massResetUsers: 4 });
    expect(four.map((f) => f.count)).toEqual([4, 6]);
  });

  it('org 2FA turned off or its requirement lifted: medium; turning it on or widening it is not', async () => {
    const h = history();
    const change = (ts: number, changes: Record<string, { from: unknown; to: unknown }>) =>
      h.event(SETTINGS, ts, 'boss', '198.51.100.10', { changed: Object.keys(changes), changes });
    change(now - 4 * DAY, { enabled: { from: false, to: true } });
    change(now - 3 * DAY, { required: { from: false, to: true } });
    change(now - 2 * DAY, { requiredFor: { from: 'admins', to: 'everyone' } });
    change(now - DAY, { required: { from: true, to: false } });
    change(now - HOUR, { enabled: { from: true, to: false }, required: { from: true, to: false } });
    await h.writeTo(temp.app);
    const findings = await runDetector(adminTakeoverSignals, temp.app, now);
    expect(findings.map((f) => [f.severity, f.title])).toEqual([
      ['medium', 'boss@acme.test lifted the 2FA requirement'],
      ['medium', 'boss@acme.test turned org 2FA off'],
    ]);
    for (const finding of findings) expect(await page(finding.filter)).toHaveLength(1);
  });

  it('backup codes regenerated 6 minutes after a sign-in from a new country, or a reset after a failure from one: high', async () => {
    const h = history();
    for (const user of ['ana', 'ben']) h.routine(user, '198.51.100.20', now - 30 * DAY, 28);
    h.locate('198.51.100.20', { country: 'DE', asn: 3320 });
    h.succeed(now - 3 * HOUR, 'ana', '45.133.5.19');
    h.event(REGENERATED, now - 3 * HOUR + 6 * MINUTE, 'ana', '45.133.5.19', {
      backupCodesIssued: 10,
    });
    // The help-desk trick: the attacker fails from a new network, then talks an admin into a reset.
    h.fail(now - 2 * HOUR, 'ben', '91.243.85.10');
    h.event(RESET, now - 2 * HOUR + 20 * MINUTE, 'ben', '198.51.100.10', BY_BOSS);
    h.locate('45.133.5.19', { country: 'BR', asn: 13335 });
    h.locate('91.243.85.10', { country: 'DE', asn: 49505 });
    await h.writeTo(temp.app);
    const findings = await runDetector(adminTakeoverSignals, temp.app, now);
    expect(findings.map((f) => [f.users, f.severity, f.why])).toEqual([
      [
        ['ana@acme.test'],
        'high',
        'Backup codes regenerated 6 minutes after a verification from 45.133.5.0/24 (AS13335 in Brazil), a network and country new for this user.',
      ],
      [
        ['ben@acme.test'],
        'high',
        'Their 2FA was reset 20 minutes after a failed verification from 91.243.85.0/24 (AS49505 in Germany), a network new for this user.',
      ],
    ]);
    expect(await page(findings[0]!.filter)).toHaveLength(2);
  });

  it('stays quiet after sign-ins from the usual network, too long after, without baseline, or from trusted and internal networks', async () => {
    const h = history();
    for (const user of ['ana', 'ben', 'cy', 'dee'])
      h.routine(user, '198.51.100.20', now - 30 * DAY, 28);
    h.locate('198.51.100.20', { country: 'DE', asn: 3320 });
    // ana: from her usual network.
    h.succeed(now - 5 * HOUR, 'ana', '198.51.100.20');
    h.event(REGENERATED, now - 5 * HOUR + 2 * MINUTE, 'ana', '198.51.100.20', {});
    // ben: two hours after the sign-in from a new network.
    h.succeed(now - 5 * HOUR, 'ben', '45.133.5.19');
    h.event(DISABLED, now - 3 * HOUR, 'ben', '45.133.5.19', { by: 'self' });
    // cy: through the company VPN (trusted); dee: from an internal address.
    h.succeed(now - 5 * HOUR, 'cy', '185.10.10.10');
    h.event(REGENERATED, now - 5 * HOUR + MINUTE, 'cy', '185.10.10.10', {});
    h.succeed(now - 5 * HOUR, 'dee', '10.1.2.3');
    h.event(REGENERATED, now - 5 * HOUR + MINUTE, 'dee', '10.1.2.3', {});
    // newbie: their first days, everything is new.
    h.routine('newbie', '198.51.100.31', now - 3 * DAY, 2);
    h.succeed(now - 4 * HOUR, 'newbie', '45.133.5.20');
    h.event(REGENERATED, now - 4 * HOUR + MINUTE, 'newbie', '45.133.5.20', {});
    h.locate('45.133.5.19', { country: 'BR', asn: 13335 });
    h.locate('45.133.5.20', { country: 'BR', asn: 13335 });
    h.locate('185.10.10.10', { country: 'NL', asn: 64512 });
    h.locate('10.1.2.3', { internal: true });
    await h.writeTo(temp.app);
    const vpn = { isTrusted: (_ip: string | null, asn: number | null) => asn === 64512 };
    expect(await runDetector(adminTakeoverSignals, temp.app, now, {}, vpn)).toEqual([]);
    // The settings decide: a three-hour window catches ben; no trust catches cy.
    const wide = await runDetector(
      adminTakeoverSignals,
      temp.app,
      now,
      { persistenceWindowMinutes: 180 },
      vpn,
    );
    expect(wide.map((f) => f.users[0])).toEqual(['ben@acme.test']);
    const untrusted = await runDetector(adminTakeoverSignals, temp.app, now);
    expect(untrusted.map((f) => f.users[0])).toEqual(['cy@acme.test']);
  });
});
