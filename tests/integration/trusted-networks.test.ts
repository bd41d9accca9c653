import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { TrustedNetworks } from '../../src/main/detections/detector';
import { createAnalytics, trustedNetworksFor } from '../../src/main/detections/analytics';
import * as registry from '../../src/main/detections/registry';
import type { TrustedNetworksSettings } from '../../src/shared/contract';
import { auditRows, fails, ok, orgWithAdmin, type Caller } from '../support/console-driver';
import { engineName } from '../support/engine';
import { DAY, history } from '../support/history';
import { createTempApp, TEST_START, type TempApp } from '../support/temp-app';

const TRUSTED_CHANGED = 'com.alaigned.audit.trusted_networks_changed';

describe(`trusted networks (${engineName})`, () => {
  let temp: TempApp;
  let admin: Caller;
  beforeEach(async () => {
    temp = await createTempApp();
    admin = await orgWithAdmin(temp);
  });
  afterEach(() => temp.close());

  it('start empty, with the ordinary-network share off', async () => {
    expect(ok(await admin.call('detections.getTrustedNetworks'))).toEqual({
      networks: [],
      ordinaryPercent: 0,
    });
  });

  it('are saved normalized, without duplicates, and the change is audited', async () => {
    const saved = ok<TrustedNetworksSettings>(
      await admin.call('detections.updateTrustedNetworks', {
        networks: [
          { value: '203.0.113.77/24', label: ' Paris office ' },
          { value: 'as64500', label: 'VPN' },
          { value: '203.0.113.0/24', label: 'again' },
          { value: '198.51.100.9' },
        ],
        ordinaryPercent: 10,
      }),
    );
    expect(saved).toEqual({
      networks: [
        { value: '203.0.113.0/24', label: 'Paris office' },
        { value: 'AS64500', label: 'VPN' },
        { value: '198.51.100.9/32', label: '' },
      ],
      ordinaryPercent: 10,
    });
    expect(ok(await admin.call('detections.getTrustedNetworks'))).toEqual(saved);
    const [changed] = await auditRows(temp.app, TRUSTED_CHANGED);
    expect(changed!.details).toEqual({
      added: saved.networks,
      removed: [],
      ordinaryPercent: { from: 0, to: 10 },
    });
    // Saving the same again changes nothing and records nothing.
    ok(await admin.call('detections.updateTrustedNetworks', saved));
    expect(await auditRows(temp.app, TRUSTED_CHANGED)).toHaveLength(1);
  });

  it('refuse an invalid value, naming networks.N.value, and keep what was saved', async () => {
    const refused = fails(
      await admin.call('detections.updateTrustedNetworks', {
        networks: [
          { value: '203.0.113.0/24', label: 'ok' },
          { value: 'the office', label: 'not a network' },
        ],
        ordinaryPercent: 0,
      }),
      'INVALID_INPUT',
    );
    expect(refused.details).toEqual({
      kind: 'fields',
      fields: { 'networks.1.value': expect.stringMatching(/CIDR/) },
    });
    // Well-formed for the contract, refused by main (a prefix too long for IPv4).
    const tooLong = fails(
      await admin.call('detections.updateTrustedNetworks', {
        networks: [{ value: '10.0.0.0/40', label: '' }],
        ordinaryPercent: 0,
      }),
      'INVALID_INPUT',
    );
    expect(tooLong.details).toMatchObject({
      kind: 'fields',
      fields: { 'networks.0.value': expect.any(String) },
    });
    fails(
      await admin.call('detections.updateTrustedNetworks', { networks: [], ordinaryPercent: 101 }),
      'INVALID_INPUT',
    );
    expect(ok(await admin.call('detections.getTrustedNetworks'))).toEqual({
      networks: [],
      ordinaryPercent: 0,
    });
    expect(await auditRows(temp.app, TRUSTED_CHANGED)).toEqual([]);
  });

  it('trustNetwork adds one entry, once, however it is written', async () => {
    const first = ok<TrustedNetworksSettings>(
      await admin.call('detections.trustNetwork', { value: 'AS13335', label: 'Cloudflare WARP' }),
    );
    expect(first.networks).toEqual([{ value: 'AS13335', label: 'Cloudflare WARP' }]);
    const again = ok<TrustedNetworksSettings>(
      await admin.call('detections.trustNetwork', { value: 'as13335', label: 'other label' }),
    );
    expect(again).toEqual(first);
    expect(await auditRows(temp.app, TRUSTED_CHANGED)).toHaveLength(1);
    const refused = fails(
      await admin.call('detections.trustNetwork', { value: 'somewhere', label: '' }),
      'INVALID_INPUT',
    );
    expect(refused.details).toMatchObject({
      kind: 'fields',
      fields: { value: expect.any(String) },
    });
  });

  it("builds the detectors' matcher from the entries and the org's ordinary networks", async () => {
    const h = history();
    // Six users sign in from the office NAT (192.0.2.0/24); one from home; the attacker fails.
    for (let u = 0; u < 6; u++)
      h.routine(`user${u}`, `192.0.2.${10 + u}`, TEST_START - 20 * DAY, 10);
    h.routine('loner', '198.51.100.50', TEST_START - 20 * DAY, 10);
    for (let i = 0; i < 30; i++)
      h.fail(TEST_START - DAY + i * 1000, `user${i % 6}`, '185.220.101.9');
    await h.writeTo(temp.app);
    await temp.app.db
      .insertInto('ip_locations')
      .values({
        ip: '185.220.101.9',
        internal: 0,
        country: 'DE',
        asn: 64500,
        as_org: null,
        latitude: null,
        longitude: null,
      })
      .onConflict((c) => c.column('ip').doUpdateSet({ asn: 64500 }))
      .execute();
    const range = { sinceMs: TEST_START - 30 * DAY, untilMs: TEST_START };
    const settings = (
      ordinaryPercent: number,
      networks: TrustedNetworksSettings['networks'] = [],
    ) => trustedNetworksFor(temp.app.db, range, { networks, ordinaryPercent });

    // 6 of 7 users verified from the office /24: ordinary at 50 %, not at 90 %.
    expect((await settings(50)).isTrusted('192.0.2.200', null)).toBe(true);
    expect((await settings(90)).isTrusted('192.0.2.200', null)).toBe(false);
    // One user's home network is never ordinary, whatever the share (5 users at least).
    expect((await settings(1)).isTrusted('198.51.100.50', null)).toBe(false);
    // Off: nothing is ordinary; failures never count towards it.
    expect((await settings(0)).isTrusted('192.0.2.200', null)).toBe(false);
    expect((await settings(1)).isTrusted('185.220.101.9', null)).toBe(false);
    // A trusted autonomous system covers its addresses as ip_locations places them.
    const byAsn = await settings(0, [{ value: 'AS64500', label: 'VPN' }]);
    expect(byAsn.isTrusted('185.220.101.9', null)).toBe(true);
  });

  it('reach the detectors through analytics patterns, as the detections service passes them', async () => {
    let seen: TrustedNetworks | undefined;
    const spy = vi.spyOn(registry, 'runDetectors').mockImplementation(async (...args) => {
      seen = args[3];
      return [];
    });
    try {
      ok(await admin.call('detections.trustNetwork', { value: '203.0.113.0/24', label: 'Office' }));
      await temp.app.detections.findings({});
      expect(spy).toHaveBeenCalled();
      expect(seen!.isTrusted('203.0.113.9', null)).toBe(true);
      expect(seen!.isTrusted('198.51.100.9', null)).toBe(false);
      // And the analytics' own default: nothing trusted.
      await createAnalytics(temp.app.db).patterns({}, TEST_START);
      expect(seen!.isTrusted('203.0.113.9', null)).toBe(false);
    } finally {
      spy.mockRestore();
    }
  });
});
