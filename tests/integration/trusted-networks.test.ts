import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Finding, TrustedNetworksSettings } from '../../src/shared/contract';
import { auditRows, fails, ok, orgWithAdmin, type Caller } from '../support/console-driver';
import { DAY, history, HOUR } from '../support/history';
import { createTempApp, type TempApp } from '../support/temp-app';

describe('trusted networks: the org’s own networks raise no location finding', () => {
  let temp: TempApp;
  let admin: Caller;
  let now: number;
  beforeEach(async () => {
    temp = await createTempApp();
    admin = await orgWithAdmin(temp);
    now = temp.clock.now();
  });
  afterEach(() => temp.close());

  const newNetworkFindings = async () =>
    ok<{ findings: Finding[] }>(await admin.call('audit.patterns', {})).findings.filter(
      (f) => f.kind === 'new_network',
    );
  const save = (settings: TrustedNetworksSettings) =>
    admin.call('detections.updateTrustedNetworks', settings);

  /** Ana, established on her home network, fails twice from the office's 45.133.5.0/24. */
  async function anaFailsFromTheOffice() {
    const h = history();
    h.routine('ana', '198.51.100.20', now - 30 * DAY, 25);
    h.fail(now - 2 * HOUR, 'ana', '45.133.5.19');
    h.fail(now - HOUR, 'ana', '45.133.5.20');
    await h.writeTo(temp.app);
  }

  it('starts empty; bad entries are refused naming the field, and nothing is saved', async () => {
    expect(ok(await admin.call('detections.getTrustedNetworks'))).toEqual({
      networks: [],
      ordinaryPercent: 0,
    });
    const error = fails(
      await save({
        networks: [
          { value: '45.133.5.0/24', label: 'Office' },
          { value: '45.133.5.0/33', label: 'Typo' },
        ],
        ordinaryPercent: 0,
      }),
      'INVALID_INPUT',
    );
    expect(error.details).toEqual({
      kind: 'fields',
      fields: { 'networks.1.value': expect.stringContaining('CIDR') },
    });
    fails(
      await save({ networks: [{ value: 'ASX1', label: '' }], ordinaryPercent: 0 }),
      'INVALID_INPUT',
    );
    fails(await save({ networks: [], ordinaryPercent: 101 }), 'INVALID_INPUT');
    expect(ok(await admin.call('detections.getTrustedNetworks'))).toEqual({
      networks: [],
      ordinaryPercent: 0,
    });
    expect(await auditRows(temp.app, 'com.alaigned.audit.trusted_networks_changed')).toEqual([]);
  });

  it('a trusted CIDR block silences new_network for it; the change is audited with before and after', async () => {
    await anaFailsFromTheOffice();
    expect(await newNetworkFindings()).toHaveLength(1);
    ok(await save({ networks: [{ value: '45.133.5.0/24', label: 'Office' }], ordinaryPercent: 0 }));
    expect(await newNetworkFindings()).toEqual([]);
    const [changed, ...more] = await auditRows(
      temp.app,
      'com.alaigned.audit.trusted_networks_changed',
    );
    expect(more).toEqual([]);
    expect(changed!.details).toEqual({
      from: { networks: [], ordinaryPercent: 0 },
      to: { networks: [{ value: '45.133.5.0/24', label: 'Office' }], ordinaryPercent: 0 },
    });
    // A block that covers only one of the two addresses is not enough: the other is still new.
    ok(await save({ networks: [{ value: '45.133.5.19', label: '' }], ordinaryPercent: 0 }));
    expect(await newNetworkFindings()).toHaveLength(1);
  });

  it('a trusted autonomous system silences new_network for addresses located in it', async () => {
    await anaFailsFromTheOffice();
    await temp.app.db
      .insertInto('ip_locations')
      .values(
        ['45.133.5.19', '45.133.5.20'].map((ip) => ({
          ip,
          internal: 0,
          country: 'NL',
          asn: 64500,
          as_org: 'Example Office ISP',
          latitude: null,
          longitude: null,
        })),
      )
      .execute();
    ok(await save({ networks: [{ value: 'AS64501', label: 'Someone else' }], ordinaryPercent: 0 }));
    expect(await newNetworkFindings()).toHaveLength(1);
    ok(await save({ networks: [{ value: 'as64500', label: 'Office ISP' }], ordinaryPercent: 0 }));
    expect(await newNetworkFindings()).toEqual([]);
  });

  it('a network most of the org verifies from is ordinary once the share is set', async () => {
    const h = history();
    // Nine colleagues sign in from the VPN egress every day; Ana never has.
    for (let i = 0; i < 9; i++) h.routine(`colleague${i}`, '45.133.5.7', now - 30 * DAY, 25);
    await h.writeTo(temp.app);
    await anaFailsFromTheOffice();
    expect(await newNetworkFindings()).toHaveLength(1);
    // 9 of 10 users (the admin never verified): 90 % ≥ 80 % → ordinary.
    ok(await save({ networks: [], ordinaryPercent: 80 }));
    expect(await newNetworkFindings()).toEqual([]);
    ok(await save({ networks: [], ordinaryPercent: 95 }));
    expect(await newNetworkFindings()).toHaveLength(1);
  });

  it('trustNetwork adds an entry once: the same block or AS again changes and audits nothing', async () => {
    const first = ok<TrustedNetworksSettings>(
      await admin.call('detections.trustNetwork', { value: '45.133.5.0/24', label: 'Office' }),
    );
    expect(first.networks).toEqual([{ value: '45.133.5.0/24', label: 'Office' }]);
    ok(await admin.call('detections.trustNetwork', { value: '45.133.5.0/24', label: 'again' }));
    ok(await admin.call('detections.trustNetwork', { value: 'AS64500' }));
    const last = ok<TrustedNetworksSettings>(
      await admin.call('detections.trustNetwork', { value: 'as64500', label: 'dup' }),
    );
    expect(last.networks).toEqual([
      { value: '45.133.5.0/24', label: 'Office' },
      { value: 'AS64500', label: '' },
    ]);
    expect(await auditRows(temp.app, 'com.alaigned.audit.trusted_networks_changed')).toHaveLength(
      2,
    );
  });
});
