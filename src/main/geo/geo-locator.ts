import type { GeoSource } from '../../shared/contract';

/** Where an address is, as the offline geo databases say. */
export interface IpLocation {
  /** Private, loopback, link-local, CGNAT, documentation and other non-routed ranges: never a country. */
  internal: boolean;
  /** ISO 3166-1 alpha-2, upper case; null when internal or unknown. */
  country: string | null;
  asn: number | null;
  asOrg: string | null;
  latitude: number | null;
  longitude: number | null;
}

/** One database in use: what the README and the About dialog credit (contract: geo.about). */
export type { GeoSource };

export interface GeoLocator {
  locate(ip: string): IpLocation;
  readonly sources: readonly GeoSource[];
  /** Whether locations carry coordinates (then impossible travel uses distances). */
  readonly hasCoordinates: boolean;
}
