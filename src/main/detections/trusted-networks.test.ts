import { describe, expect, it } from 'vitest';
import { normalizedEntry, trustedNetworksMatcher } from './trusted-networks';

describe('trusted network entries', () => {
  it.each([
    ['203.0.113.0/24', '203.0.113.0/24'],
    ['203.0.113.77/24', '203.0.113.0/24'],
    ['198.51.100.7', '198.51.100.7/32'],
    ['::ffff:198.51.100.7', '198.51.100.7/32'],
    ['2001:DB8:1::/48', '2001:db8:1::/48'],
    ['2001:db8::1', '2001:db8::1/128'],
    ['as13335', 'AS13335'],
    [' AS015169 ', 'AS15169'],
  ])('%s is stored as %s', (value, stored) => {
    expect(normalizedEntry(value)).toBe(stored);
  });

  it.each([
    '',
    'office',
    '300.1.1.1',
    '10.0.0.0/33',
    '2001:db8::/129',
    'AS0',
    'AS99999999999',
    '1.2.3',
  ])('%j is refused', (value) => {
    expect(normalizedEntry(value)).toBeNull();
  });
});

describe('the trusted-networks matcher', () => {
  const matcher = trustedNetworksMatcher(
    {
      networks: [
        { value: '203.0.113.0/24', label: 'Office' },
        { value: '2001:db8:aa::/48', label: 'Office v6' },
        { value: '198.51.100.9', label: 'VPN exit' },
        { value: 'AS64500', label: 'Corporate VPN' },
      ],
      ordinaryPercent: 10,
    },
    {
      ordinaryNetworks: new Set(['192.0.2.0/24']),
      trustedAsnAddresses: new Set(['8.8.4.4']),
    },
  );

  it('trusts an address inside a listed block, and not one just outside', () => {
    expect(matcher.isTrusted('203.0.113.200', null)).toBe(true);
    expect(matcher.isTrusted('203.0.114.1', null)).toBe(false);
    expect(matcher.isTrusted('2001:db8:aa:1::5', null)).toBe(true);
    expect(matcher.isTrusted('2001:db8:ab::5', null)).toBe(false);
  });

  it('trusts a listed address as its /32 only', () => {
    expect(matcher.isTrusted('198.51.100.9', null)).toBe(true);
    expect(matcher.isTrusted('198.51.100.10', null)).toBe(false);
  });

  it('trusts a listed autonomous system, as the detector gives it or as ip_locations has it', () => {
    expect(matcher.isTrusted('1.2.3.4', 64500)).toBe(true);
    expect(matcher.isTrusted('8.8.4.4', null)).toBe(true);
    expect(matcher.isTrusted('1.2.3.4', 64501)).toBe(false);
  });

  it("trusts the org's ordinary networks", () => {
    expect(matcher.isTrusted('192.0.2.44', null)).toBe(true);
  });

  it('trusts nothing without an address or a listed system', () => {
    expect(matcher.isTrusted(null, null)).toBe(false);
    expect(
      trustedNetworksMatcher({ networks: [], ordinaryPercent: 0 }).isTrusted('203.0.113.1', 1),
    ).toBe(false);
  });
});
