import type { AuditFilterInput } from '../../shared/contract';
import { VERIFY_FAILED, VERIFY_SUCCESS } from '../../shared/audit-events';
import { countryName } from '../../shared/country-names';
import { iso } from './detector';

/** How the location detectors word places and choose a finding's link. */

export { countryName } from '../../shared/country-names';

/** "AS13335 in Brazil", "Brazil", "AS13335", or "an unknown place". */
export function placeOf(where: { country: string | null; asn: number | null }): string {
  if (where.asn !== null && where.country) return `AS${where.asn} in ${countryName(where.country)}`;
  if (where.country) return countryName(where.country);
  if (where.asn !== null) return `AS${where.asn}`;
  return 'an unknown place';
}

export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * The audit page filter that lists a finding's verifications: the user (if one), its time span
 * (the end included) and, when every event came from one address or one network, that address
 * or network.
 */
export function verificationsFilter(
  events: ReadonlyArray<{ ts: number; ip: string | null; network: string | null }>,
  options: { userId?: string; successesOnly?: boolean },
): AuditFilterInput {
  const ips = new Set(events.map((e) => e.ip));
  const networks = new Set(events.map((e) => e.network));
  const [ip] = ips;
  const [network] = networks;
  const where = ips.size === 1 && ip ? ip : networks.size === 1 && network ? network : undefined;
  return {
    types: options.successesOnly ? [VERIFY_SUCCESS] : [VERIFY_SUCCESS, VERIFY_FAILED],
    ...(options.userId ? { userId: options.userId } : {}),
    ...(where ? { ip: where } : {}),
    since: iso(Math.min(...events.map((e) => e.ts))),
    until: iso(Math.max(...events.map((e) => e.ts)) + 1),
  };
}
