import ipaddr from 'ipaddr.js';

/**
 * ipaddr.js's names for the ranges that are never a place on the Internet: private (RFC 1918),
 * loopback, link-local, CGNAT (100.64/10), documentation (192.0.2/24, 198.51.100/24,
 * 203.0.113/24: "reserved" with benchmarking 198.18/15 and 240/4), multicast, broadcast, 0/8.
 */
const INTERNAL_V4 = new Set([
  'unspecified',
  'broadcast',
  'multicast',
  'linkLocal',
  'loopback',
  'carrierGradeNat',
  'private',
  'reserved',
]);

/**
 * IPv6: unique local (fc00::/7), link-local, loopback, multicast, documentation (2001:db8::/32,
 * 3fff::/20) and the IETF's other non-routed blocks. Teredo, 6to4 and NAT64 addresses are
 * routed, and left to the databases.
 */
const INTERNAL_V6 = new Set([
  'unspecified',
  'linkLocal',
  'multicast',
  'loopback',
  'uniqueLocal',
  'deprecatedSiteLocal',
  'discard',
  'benchmarking',
  'reserved',
  'deprecatedOrchid',
  'orchid2',
  'droneRemoteIdProtocolEntityTags',
  'segmentRouting',
]);

/** A parsed address, IPv4-mapped IPv6 already turned into the IPv4 address it carries. */
export type ParsedAddress = ipaddr.IPv4 | ipaddr.IPv6;

/**
 * Parses an address as the trail stores it (a dotted quad, or IPv6); null for anything else.
 * One family's parser per address: ipaddr's generic checks try both, through exceptions.
 */
export function parseAddress(ip: string): ParsedAddress | null {
  if (ip.includes(':')) {
    if (!ipaddr.IPv6.isValid(ip)) return null;
    const address = ipaddr.IPv6.parse(ip);
    return address.isIPv4MappedAddress() ? address.toIPv4Address() : address;
  }
  return ipaddr.IPv4.isValidFourPartDecimal(ip) ? ipaddr.IPv4.parse(ip) : null;
}

/** Whether the address lies in a range no geo database can place (see the lists above). */
export function isInternalAddress(address: ParsedAddress): boolean {
  return address.kind() === 'ipv4'
    ? INTERNAL_V4.has(address.range())
    : INTERNAL_V6.has(address.range());
}
