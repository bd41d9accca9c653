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

/** Remembers the last few thousand answers: audit trails repeat the same addresses endlessly. */
function memoized<T>(compute: (ip: string) => T, capacity = 10_000): (ip: string) => T {
  const answers = new Map<string, T>();
  return (ip) => {
    let answer = answers.get(ip);
    if (answer === undefined && !answers.has(ip)) {
      answer = compute(ip);
      if (answers.size >= capacity) answers.clear();
      answers.set(ip, answer);
    }
    return answer as T;
  };
}

/** The derived columns an address is stored with; one parse for both. */
export interface AddressColumns {
  /**
   * 32 hex digits of the 128-bit address (IPv4 as IPv4-mapped IPv6): text that sorts like the
   * address, so a CIDR block is a plain range and an index serves it on any database.
   */
  ipKey: string;
  /** `203.0.113.0/24` or `2001:db8:1::/48`: the network the address belongs to. */
  network: string;
}

const columnsOf = memoized((ip: string): AddressColumns | null => {
  const address = parse(ip);
  if (!address) return null;
  const bits = address.kind() === 'ipv4' ? IPV4_NETWORK_BITS : IPV6_NETWORK_BITS;
  const prefix =
    address.kind() === 'ipv4'
      ? ipaddr.IPv4.networkAddressFromCIDR(`${address.toString()}/${bits}`)
      : ipaddr.IPv6.networkAddressFromCIDR(`${address.toString()}/${bits}`);
  return { ipKey: hexOf(toIPv6(address).toByteArray()), network: `${prefix.toString()}/${bits}` };
});

export function addressColumns(ip: string | null): AddressColumns | null {
  return ip ? columnsOf(ip) : null;
}

export function ipKey(ip: string | null): string | null {
  return addressColumns(ip)?.ipKey ?? null;
}

export function networkOf(ip: string | null): string | null {
  return addressColumns(ip)?.network ?? null;
}

/**
 * The address as stored (an IPv4-mapped IPv6 address as the IPv4 address people know), or null
 * if the text is not a plain IPv4 dotted quad or an IPv6 address.
 */
export const normalizedIp = memoized((text: string): string | null => {
  if (
    !ipaddr.isValid(text) ||
    !(ipaddr.IPv4.isValidFourPartDecimal(text) || ipaddr.IPv6.isValid(text))
  )
    return null;
  return ipaddr.process(text).toString();
});

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
