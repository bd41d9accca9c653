import fs from 'node:fs';
import path from 'node:path';
import { DomainError } from '../domain-error';
import { loadAsnTable, type AsnHit, type AsnTable } from './asn-table';
import type { GeoLocator, GeoSource, IpLocation } from './geo-locator';
import {
  bundledAsnSource,
  bundledFiles,
  bundledLocationSource,
  ownFileSource,
  type BundledFiles,
} from './geo-sources';
import { isInternalAddress, parseAddress, type ParsedAddress } from './internal-ranges';
import { asnOfRecord, locationOfRecord, openMmdb, type MmdbDatabase } from './mmdb-database';

/**
 * Which databases locate addresses: the bundled defaults, an admin's folder (from
 * ORG2FA_GEOIP_DIR or the saved setting), or none at all (ORG2FA_GEOIP=off: every address
 * unknown, for measuring what lookups cost). Plain data, so it crosses to worker threads.
 */
export type GeoSelection =
  | { mode: 'bundled' }
  | { mode: 'off' }
  | { mode: 'directory'; directory: string; origin: 'environment' | 'settings' };

/** Each lazily loaded once per process (thread): tests and workers open many apps. */
const loaded = {
  cityV4: null as MmdbDatabase | null,
  cityV6: null as MmdbDatabase | null,
  asnV4: null as AsnTable | null,
  asnV6: null as AsnTable | null,
  own: new Map<string, { stamp: string; database: MmdbDatabase }>(),
};

function bundledCity(files: BundledFiles, v6: boolean): MmdbDatabase {
  if (v6) return (loaded.cityV6 ??= openMmdb(files.cityV6));
  return (loaded.cityV4 ??= openMmdb(files.cityV4));
}

function bundledAsn(files: BundledFiles, v6: boolean): AsnTable {
  if (v6) return (loaded.asnV6 ??= loadAsnTable({ v6: files.asnV6 }));
  return (loaded.asnV4 ??= loadAsnTable({ v4: files.asnV4 }));
}

/** An admin's file, reopened only when it changed on disk. */
function ownDatabase(file: string): MmdbDatabase {
  const stat = fs.statSync(file);
  const stamp = `${stat.size}:${stat.mtimeMs}`;
  const cached = loaded.own.get(file);
  if (cached?.stamp === stamp) return cached.database;
  const database = openMmdb(file);
  loaded.own.set(file, { stamp, database });
  return database;
}

/** The usable .mmdb files of an admin's folder, and why each other one is not. */
export interface FolderScan {
  location: MmdbDatabase[];
  asn: MmdbDatabase[];
  refused: string[];
}

/** City before country (coordinates), then by name: the first answer wins. */
const rank = (db: MmdbDatabase) => (db.hasCoordinates ? 0 : 1);

export function scanFolder(directory: string): FolderScan {
  let names: string[];
  try {
    names = fs.readdirSync(directory);
  } catch {
    throw new DomainError(
      'INVALID_INPUT',
      `directory: ${directory} is not a readable folder.`,
      undefined,
      {
        kind: 'fields',
        fields: { directory: 'Not a readable folder' },
      },
    );
  }
  const scan: FolderScan = { location: [], asn: [], refused: [] };
  for (const name of names.filter((n) => n.toLowerCase().endsWith('.mmdb')).sort()) {
    try {
      const database = ownDatabase(path.join(directory, name));
      scan[database.provides].push(database);
    } catch (error) {
      scan.refused.push(error instanceof Error ? error.message : String(error));
    }
  }
  scan.location.sort((a, b) => rank(a) - rank(b));
  if (scan.location.length === 0 && scan.asn.length === 0) {
    const why =
      scan.refused.length > 0
        ? scan.refused.join(' ')
        : 'It holds no .mmdb file (GeoLite2/GeoIP2 City, Country or ASN, or DB-IP Lite).';
    throw new DomainError(
      'INVALID_INPUT',
      `directory: ${directory} has no usable MaxMind database. ${why}`,
      undefined,
      { kind: 'fields', fields: { directory: 'No usable .mmdb file in this folder' } },
    );
  }
  return scan;
}

/** 32 hex digits → the high and low 64 bits. */
function halvesOf(address: ParsedAddress): [bigint, bigint] {
  const bytes = address.toByteArray();
  let high = 0n;
  let low = 0n;
  for (let i = 0; i < 8; i++) high = (high << 8n) | BigInt(bytes[i]!);
  for (let i = 8; i < 16; i++) low = (low << 8n) | BigInt(bytes[i]!);
  return [high, low];
}

function ipv4Number(address: ParsedAddress): number {
  const [a, b, c, d] = address.toByteArray() as [number, number, number, number];
  return ((a << 24) >>> 0) + (b << 16) + (c << 8) + d;
}

const UNKNOWN: IpLocation = {
  internal: false,
  country: null,
  asn: null,
  asOrg: null,
  latitude: null,
  longitude: null,
};
const INTERNAL: IpLocation = { ...UNKNOWN, internal: true };

/** Answers kept per locator: trails repeat the same addresses endlessly. */
const MEMO_CAPACITY = 50_000;

/**
 * The GeoLocator over the selected databases. An admin's folder replaces each kind of default it
 * has a file for: a City or Country file replaces the bundled locations, an ASN file the bundled
 * ASN table; a kind it lacks stays bundled. Bundled files load on the first address that needs
 * them (an IPv6 one for the IPv6 file), so a console whose events come from loopback never loads
 * them. Throws INVALID_INPUT (field `directory`) for a folder with no usable database.
 */
export function createOfflineLocator(selection: GeoSelection): GeoLocator {
  if (selection.mode === 'off') {
    return {
      sources: [],
      hasCoordinates: false,
      locate: (ip) => {
        const address = parseAddress(ip);
        return address && isInternalAddress(address) ? INTERNAL : UNKNOWN;
      },
    };
  }
  const files = bundledFiles();
  const scan = selection.mode === 'directory' ? scanFolder(selection.directory) : null;
  const ownLocation = scan?.location ?? [];
  const ownAsn = scan?.asn ?? [];

  const placeOf = (address: ParsedAddress, text: string) => {
    const v6 = address.kind() === 'ipv6';
    const databases = ownLocation.length > 0 ? ownLocation : [bundledCity(files, v6)];
    for (const database of databases) {
      if (v6 && database.ipVersion === 4) continue;
      const place = locationOfRecord(database.get(text));
      if (place) return place;
    }
    return null;
  };
  const asnOf = (address: ParsedAddress, text: string): AsnHit | null => {
    if (ownAsn.length > 0) {
      for (const database of ownAsn) {
        if (address.kind() === 'ipv6' && database.ipVersion === 4) continue;
        const hit = asnOfRecord(database.get(text));
        if (hit) return hit;
      }
      return null;
    }
    return address.kind() === 'ipv4'
      ? bundledAsn(files, false).lookupV4(ipv4Number(address))
      : bundledAsn(files, true).lookupV6(...halvesOf(address));
  };

  const memo = new Map<string, IpLocation>();
  const sources: GeoSource[] = [
    ...(ownLocation.length > 0 ? ownLocation.map(ownFileSource) : [bundledLocationSource(files)]),
    ...(ownAsn.length > 0 ? ownAsn.map(ownFileSource) : [bundledAsnSource(files)]),
  ];
  return {
    sources,
    hasCoordinates: ownLocation.length > 0 ? ownLocation.some((db) => db.hasCoordinates) : true,
    locate(ip) {
      const known = memo.get(ip);
      if (known) return known;
      const address = parseAddress(ip);
      let answer: IpLocation;
      if (!address) answer = UNKNOWN;
      else if (isInternalAddress(address)) answer = INTERNAL;
      else {
        const text = address.toString();
        const place = placeOf(address, text);
        const network = asnOf(address, text);
        answer = {
          internal: false,
          country: place?.country ?? null,
          latitude: place?.latitude ?? null,
          longitude: place?.longitude ?? null,
          asn: network?.asn ?? null,
          asOrg: network?.org ?? null,
        };
      }
      if (memo.size >= MEMO_CAPACITY) memo.clear();
      memo.set(ip, answer);
      return answer;
    },
  };
}
