import ipaddr from 'ipaddr.js';

/** Prefix lengths that make a "network" for pattern detection: an IPv4 /24, an IPv6 /48. */
export const IPV4_NETWORK_BITS = 24;
export const IPV6_NETWORK_BITS = 48;

function toIPv6(address: ipaddr.IPv4 | ipaddr.IPv6): ipaddr.IPv6 {
  return address.kind() === 'ipv4'
    ? (address as ipaddr.IPv4).toIPv4MappedAddress()
    : (address as ipaddr.IPv6);
}

function parse(ip: string): ipaddr.IPv4 | ipaddr.IPv6 | null {
  try {
    const address = ipaddr.parse(ip);
    // An IPv4-mapped IPv6 address is the IPv4 address people know.
    if (address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress()) {
      return (address as ipaddr.IPv6).toIPv4Address();
    }
    return address;
  } catch {
    return null;
  }
}

function hexOf(bytes: number[]): string {
  return bytes.map((b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * 32 hex digits of the 128-bit address (IPv4 as IPv4-mapped IPv6): text that sorts like the
 * address, so a CIDR block is a plain range and an index serves it on any database.
 */
export function ipKey(ip: string | null): string | null {
  if (!ip) return null;
  const address = parse(ip);
  return address ? hexOf(toIPv6(address).toByteArray()) : null;
}

/** `203.0.113.0/24` or `2001:db8:1::/48`: the network an address belongs to. */
export function networkOf(ip: string | null): string | null {
  if (!ip) return null;
  const address = parse(ip);
  if (!address) return null;
  if (address.kind() === 'ipv4') {
    const prefix = ipaddr.IPv4.networkAddressFromCIDR(`${address.toString()}/${IPV4_NETWORK_BITS}`);
    return `${prefix.toString()}/${IPV4_NETWORK_BITS}`;
  }
  const prefix = ipaddr.IPv6.networkAddressFromCIDR(`${address.toString()}/${IPV6_NETWORK_BITS}`);
  return `${prefix.toString()}/${IPV6_NETWORK_BITS}`;
}

/** The inclusive ip_key range of a CIDR block (`10.0.0.0/8`, `2001:db8::/32`), or null if invalid. */
export function cidrKeyRange(cidr: string): { low: string; high: string } | null {
  try {
    const [address, bits] = ipaddr.parseCIDR(cidr);
    const v6 = toIPv6(address);
    const prefix = address.kind() === 'ipv4' ? 96 + bits : bits;
    const bytes = v6.toByteArray();
    const low = bytes.map((byte, i) => {
      const keep = Math.max(0, Math.min(8, prefix - i * 8));
      return byte & (0xff << (8 - keep)) & 0xff;
    });
    const high = low.map((byte, i) => {
      const keep = Math.max(0, Math.min(8, prefix - i * 8));
      return byte | (0xff >> keep);
    });
    return { low: hexOf(low), high: hexOf(high) };
  } catch {
    return null;
  }
}

export function isIpOrCidr(value: string): boolean {
  return value.includes('/') ? cidrKeyRange(value) !== null : parse(value) !== null;
}
