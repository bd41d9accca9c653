import { describe, expect, it } from 'vitest';
import { cidrKeyRange, ipKey, networkOf } from './ip-network';

describe('IP keys and networks', () => {
  it('keys IPv4 as IPv4-mapped IPv6, so both families sort in one order', () => {
    expect(ipKey('203.0.113.7')).toBe('00000000000000000000ffffcb007107');
    expect(ipKey('::ffff:203.0.113.7')).toBe(ipKey('203.0.113.7'));
    expect(ipKey('2001:db8::1')).toBe('20010db8000000000000000000000001');
    expect(ipKey('not an ip')).toBeNull();
    // Hex digits compare like the numbers: .9 sorts before .10, unlike the dotted text.
    expect(ipKey('10.0.0.9')! < ipKey('10.0.0.10')!).toBe(true);
    expect(ipKey('10.0.0.9')! < ipKey('10.0.1.0')!).toBe(true);
  });

  it('names the /24 or /48 network an address belongs to', () => {
    expect(networkOf('203.0.113.7')).toBe('203.0.113.0/24');
    expect(networkOf('::ffff:198.51.100.200')).toBe('198.51.100.0/24');
    expect(networkOf('2001:db8:abcd:12::1')).toBe('2001:db8:abcd::/48');
    expect(networkOf('')).toBeNull();
  });

  it('turns a CIDR block into the key range that holds exactly its addresses', () => {
    const range = cidrKeyRange('203.0.113.0/24')!;
    const inside = (ip: string) => ipKey(ip)! >= range.low && ipKey(ip)! <= range.high;
    expect(['203.0.113.0', '203.0.113.255', '203.0.113.7'].every(inside)).toBe(true);
    expect(['203.0.112.255', '203.0.114.0', '2001:db8::1'].some(inside)).toBe(false);
    const v6 = cidrKeyRange('2001:db8::/32')!;
    expect(ipKey('2001:db8:ffff::1')! <= v6.high && ipKey('2001:db8:ffff::1')! >= v6.low).toBe(
      true,
    );
    expect(cidrKeyRange('10.0.0.0/33')).toBeNull();
    expect(cidrKeyRange('garbage')).toBeNull();
  });
});
