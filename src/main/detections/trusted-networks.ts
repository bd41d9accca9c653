import ipaddr from 'ipaddr.js';
import type { TrustedNetworksSettings } from '../../shared/contract';
import { cidrKeyRange, ipKey, networkOf } from '../network/ip-network';
import type { TrustedNetworks } from './detector';

export const defaultTrustedNetworks: TrustedNetworksSettings = { networks: [], ordinaryPercent: 0 };

/**
 * A network used by fewer users than this is never "ordinary", whatever the share: in a small
 * org a few percent is one or two people, and two accounts taken over from one network must not
 * make it familiar.
 */
export const ORDINARY_MIN_USERS = 5;

/** `AS13335` → 13335; null for a CIDR block or an address. */
export function asnOfEntry(value: string): number | null {
  const match = /^AS(\d{1,10})$/i.exec(value.trim());
  if (!match) return null;
  const asn = Number(match[1]);
  return asn > 0 && asn <= 0xffff_ffff ? asn : null;
}

/**
 * An entry as stored: `AS13335`, or a block by its network address (`203.0.113.0/24`; an address
 * alone is its /32 or /128; IPv4-mapped IPv6 is the IPv4 address). Null when it is neither.
 */
export function normalizedEntry(value: string): string | null {
  const text = value.trim();
  if (/^AS/i.test(text)) {
    const asn = asnOfEntry(text);
    return asn === null ? null : `AS${asn}`;
  }
  try {
    if (text.includes('/')) {
      const [address, bits] = ipaddr.parseCIDR(text);
      if (address.kind() === 'ipv4') {
        if (!ipaddr.IPv4.isValidFourPartDecimal(text.split('/')[0]!)) return null;
        return `${ipaddr.IPv4.networkAddressFromCIDR(text).toString()}/${bits}`;
      }
      return `${ipaddr.IPv6.networkAddressFromCIDR(text).toString()}/${bits}`;
    }
    if (!(ipaddr.IPv4.isValidFourPartDecimal(text) || ipaddr.IPv6.isValid(text))) return null;
    const address = ipaddr.process(text);
    return `${address.toString()}/${address.kind() === 'ipv4' ? 32 : 128}`;
  } catch {
    return null;
  }
}

/** What the matcher needs besides the saved entries, read from the store (analytics). */
export interface TrustContext {
  /** /24 and /48 networks used by enough of the org's users (ordinaryPercent). */
  ordinaryNetworks: ReadonlySet<string>;
  /** Addresses whose autonomous system (ip_locations) is a trusted one. */
  trustedAsnAddresses: ReadonlySet<string>;
}

const noContext: TrustContext = { ordinaryNetworks: new Set(), trustedAsnAddresses: new Set() };

/**
 * The matcher detectors use: an address is trusted when its autonomous system is listed (as the
 * detector passes it, or as ip_locations holds it), when a listed block holds it, or when its /24
 * (/48) is one of the org's ordinary networks.
 */
export function trustedNetworksMatcher(
  settings: TrustedNetworksSettings,
  context: TrustContext = noContext,
): TrustedNetworks {
  const asns = new Set<number>();
  const ranges: Array<{ low: string; high: string }> = [];
  for (const { value } of settings.networks) {
    const asn = asnOfEntry(value);
    if (asn !== null) asns.add(asn);
    else {
      const range = cidrKeyRange(normalizedEntry(value) ?? value);
      if (range) ranges.push(range);
    }
  }
  return {
    isTrusted(ip, asn) {
      if (asn !== null && asns.has(asn)) return true;
      if (ip === null) return false;
      if (context.trustedAsnAddresses.has(ip)) return true;
      const key = ipKey(ip);
      if (key !== null && ranges.some((range) => key >= range.low && key <= range.high))
        return true;
      const network = networkOf(ip);
      return network !== null && context.ordinaryNetworks.has(network);
    },
  };
}

/** The autonomous systems among the entries. */
export function trustedAsns(settings: TrustedNetworksSettings): number[] {
  return settings.networks.map((n) => asnOfEntry(n.value)).filter((a): a is number => a !== null);
}
