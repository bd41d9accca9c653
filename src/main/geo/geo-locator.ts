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

/** One database in use: what the README and the About dialog credit. */
export interface GeoSource {
  /** e.g. "DB-IP IP to City Lite". */
  name: string;
  /** What it gives: country (and coordinates), or autonomous systems. */
  provides: 'location' | 'asn';
  /** The licence and the attribution it requires, as shown to the admin. */
  licence: string;
  attribution: string;
  url: string;
  /** When its data was made (YYYY-MM-DD), or null if the file does not say. */
  dataDate: string | null;
  /** The bundled default, or a file the admin chose. */
  bundled: boolean;
}

export interface GeoLocator {
  locate(ip: string): IpLocation;
  readonly sources: readonly GeoSource[];
  /** Whether locations carry coordinates (then impossible travel uses distances). */
  readonly hasCoordinates: boolean;
}
