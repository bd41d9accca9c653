import fs from 'node:fs';
import path from 'node:path';
import { Reader, type Response } from 'maxmind';

/** One opened MaxMind-format (.mmdb) file and what it can answer. */
export interface MmdbDatabase {
  file: string;
  /** The file's own `database_type`, e.g. GeoLite2-City, DBIP-ASN-Lite, "city ipv4". */
  type: string;
  provides: 'location' | 'asn';
  /** An IPv4-only file cannot be asked about IPv6 addresses. */
  ipVersion: 4 | 6;
  /** City databases carry coordinates; country databases do not. */
  hasCoordinates: boolean;
  /** When it was built (YYYY-MM-DD), from its metadata. */
  buildDate: string | null;
  get(ip: string): unknown;
}

/** What a database type name says it holds; null for types that give neither (Anonymous IP…). */
function providesOf(type: string): { provides: 'location' | 'asn'; coordinates: boolean } | null {
  if (/asn|isp/i.test(type)) return { provides: 'asn', coordinates: false };
  if (/city/i.test(type)) return { provides: 'location', coordinates: true };
  if (/country/i.test(type)) return { provides: 'location', coordinates: false };
  return null;
}

/**
 * Opens an .mmdb file (read whole into memory: lookups are then a walk of a buffer). Throws
 * with a sentence naming the file when it is not a MaxMind database, or one of a kind that
 * gives neither a location nor an autonomous system.
 */
export function openMmdb(file: string): MmdbDatabase {
  let reader: Reader<Response>;
  try {
    reader = new Reader<Response>(fs.readFileSync(file));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`${path.basename(file)} is not a readable MaxMind database (${reason}).`);
  }
  const type = reader.metadata.databaseType;
  const kind = providesOf(type);
  if (!kind) {
    throw new Error(
      `${path.basename(file)} is a "${type}" database, which gives neither a country nor an ` +
        'autonomous system.',
    );
  }
  const epoch = reader.metadata.buildEpoch;
  const ipVersion = reader.metadata.ipVersion === 4 ? 4 : 6;
  return {
    file,
    type,
    provides: kind.provides,
    ipVersion,
    hasCoordinates: kind.coordinates,
    buildDate: Number.isNaN(epoch.getTime()) ? null : epoch.toISOString().slice(0, 10),
    get: (ip) => reader.get(ip),
  };
}

/** Where a record places an address. */
export interface RecordLocation {
  country: string | null;
  latitude: number | null;
  longitude: number | null;
}

type Loose = Record<string, unknown> | undefined;

const field = (record: Loose, key: string): Loose => {
  const value = record?.[key];
  return typeof value === 'object' && value !== null ? (value as Loose) : undefined;
};

const numberOr = (value: unknown): number | null =>
  typeof value === 'number' && Number.isFinite(value) ? value : null;

/** ISO 3166-1 alpha-2, upper case; DB-IP's ZZ ("unknown") and anything malformed are null. */
function countryCode(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const code = value.trim().toUpperCase();
  return /^[A-Z]{2}$/.test(code) && code !== 'ZZ' ? code : null;
}

/** About 11 m: finer than any of these databases knows, and the table stays small. */
const round = (value: number | null) => (value === null ? null : Math.round(value * 1e4) / 1e4);

/**
 * The country and coordinates of a location record in either shape: MaxMind's GeoIP2/GeoLite2
 * and DB-IP's own Lite files (country.iso_code, location.latitude/longitude), or ip-location-db's
 * flat records (country_code, latitude, longitude).
 */
export function locationOfRecord(record: unknown): RecordLocation | null {
  if (typeof record !== 'object' || record === null) return null;
  const r = record as Record<string, unknown>;
  const country = countryCode(field(r, 'country')?.iso_code ?? r.country_code);
  const location = field(r, 'location');
  const latitude = numberOr(location?.latitude ?? r.latitude);
  const longitude = numberOr(location?.longitude ?? r.longitude);
  const placed = latitude !== null && longitude !== null;
  if (country === null && !placed) return null;
  return {
    country,
    latitude: placed ? round(latitude) : null,
    longitude: placed ? round(longitude) : null,
  };
}

/** The autonomous system of a GeoLite2-ASN, GeoIP2-ISP or DB-IP ASN Lite record. */
export function asnOfRecord(record: unknown): { asn: number; org: string | null } | null {
  if (typeof record !== 'object' || record === null) return null;
  const r = record as Record<string, unknown>;
  const asn = numberOr(r.autonomous_system_number);
  if (asn === null || !Number.isInteger(asn) || asn <= 0) return null;
  const org = r.autonomous_system_organization;
  return { asn, org: typeof org === 'string' && org.trim() !== '' ? org.trim() : null };
}
