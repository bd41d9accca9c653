import type { TrustedNetworksSettings } from '../../shared/contract';
import { cidrKeyRange, ipKey, networkOf } from '../network/ip-network';
import type { TrustedNetworks } from './detector';

export const defaultTrustedNetworks: TrustedNetworksSettings = { networks: [], ordinaryPercent: 0 };

/** `AS13335` → 13335; null for a CIDR or address. */
export function asnOfEntry(value: string): number | null {
  const match = /^AS(\d{1,10})$/i.exec(value.trim());
  return match ? Number(match[1]) : null;
}

/** An entry as a CIDR block: an address alone is its /32 or /128. */
export function cidrOfEntry(value: string): string {
  if (value.includes('/')) return value;
  return value.includes(':') ? `${value}/128` : `${value}/32`;
}

/**
 * The matcher detectors use: an address is trusted when its autonomous system or a block it lies
 * in is listed, or when its /24 (/48) is among the org's ordinary networks.
 */
export function trustedNetworksMatcher(
  settings: TrustedNetworksSettings,
  ordinaryNetworks: ReadonlySet<string> = new Set(),
): TrustedNetworks {
  const asns = new Set<number>();
  const ranges: Array<{ low: string; high: string }> = [];
  for (const { value } of settings.networks) {
    const asn = asnOfEntry(value);
    if (asn !== null) asns.add(asn);
    else {
      const range = cidrKeyRange(cidrOfEntry(value));
      if (range) ranges.push(range);
    }
  }
  return {
    isTrusted(ip, asn) {
      if (asn !== null && asns.has(asn)) return true;
      const key = ipKey(ip);
      if (key && ranges.some((range) => key >= range.low && key <= range.high)) return true;
      const network = networkOf(ip);
      return network !== null && ordinaryNetworks.has(network);
    },
  };
}

/** The same entry twice (case of `AS`, an address and its /32) is one entry. */
export function sameEntry(a: string, b: string): boolean {
  const asnA = asnOfEntry(a);
  const asnB = asnOfEntry(b);
  if (asnA !== null || asnB !== null) return asnA === asnB;
  const rangeA = cidrKeyRange(cidrOfEntry(a));
  const rangeB = cidrKeyRange(cidrOfEntry(b));
  return (
    rangeA !== null && rangeB !== null && rangeA.low === rangeB.low && rangeA.high === rangeB.high
  );
}
