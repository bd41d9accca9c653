import path from 'node:path';
import type { GeoAbout } from '../../shared/contract';
import type { AuditService } from '../audit/audit.service';
import type { ClientInfo } from '../client-info';
import { DomainError, fieldError } from '../domain-error';
import {
  countIpLocations,
  distinctTrailAddresses,
  insertIpLocations,
  needsBackfill,
  replaceIpLocations,
} from '../store/ip-location-fill.store';
import { getMeta, setMeta } from '../store/meta.store';
import type { Db } from '../store/schema';
import { writeTransaction } from '../store/transaction';
import type { GeoLocator, IpLocation } from './geo-locator';
import { isInternalAddress, parseAddress } from './internal-ranges';
import type { GeoState } from './geo-state';
import { locationRow } from './location-recorder';
import { createOfflineLocator, type GeoSelection } from './offline-locator';

const KEY = 'geoip_directory';

/** The folder an admin saved (geo.setDirectory), or null for the bundled data. */
export async function savedGeoDirectory(db: Db): Promise<string | null> {
  const stored = await getMeta(db, KEY);
  if (!stored) return null;
  const value: unknown = JSON.parse(stored);
  return typeof value === 'string' ? value : null;
}

export interface GeoService {
  about(): Promise<GeoAbout>;
  /** Saves the folder (null: the bundled data), relocates every address of the trail; audited. */
  setDirectory(
    directory: string | null,
    actor: { id: string; email: string },
    client: ClientInfo,
  ): Promise<GeoAbout>;
  /**
   * Locates every address of a trail whose events predate ip_locations (or were written with
   * lookups off), when the table is still empty: at open. Answers how many it located.
   */
  backfill(): Promise<number>;
  /** What a worker thread needs to locate as this process does. */
  selection(): GeoSelection;
  /** Where each address is (null for text that is not an address): `org2fa geo lookup`. */
  lookup(ips: readonly string[]): Array<({ ip: string } & IpLocation) | null>;
}

/** Every distinct address of the trail with the locator's answer. */
async function locateTrail(trx: Db, locator: GeoLocator) {
  const ips = await distinctTrailAddresses(trx);
  return ips.map((ip) => locationRow(ip, locator.locate(ip)));
}

export function createGeoService(deps: {
  db: Db;
  audit: AuditService;
  state: GeoState;
}): GeoService {
  const { db, audit, state } = deps;

  async function about(): Promise<GeoAbout> {
    const locator = state.locator();
    const selection = state.selection;
    return {
      sources: locator ? [...locator.sources] : [],
      hasCoordinates: locator?.hasCoordinates ?? false,
      directory: selection.mode === 'directory' ? selection.directory : null,
      origin: selection.mode === 'directory' ? selection.origin : selection.mode,
      problem: state.problem,
      located: await countIpLocations(db),
    };
  }

  return {
    about,
    selection: () => state.selection,

    lookup(ips) {
      const locator = state.locator();
      return ips.map((ip) => {
        const address = parseAddress(ip.trim());
        if (!address) return null;
        const text = address.toString();
        if (locator) return { ip: text, ...locator.locate(text) };
        const internal = isInternalAddress(address);
        return {
          ip: text,
          internal,
          country: null,
          asn: null,
          asOrg: null,
          latitude: null,
          longitude: null,
        };
      });
    },

    async setDirectory(directory, actor, client) {
      const current = state.selection;
      if (
        current.mode === 'off' ||
        (current.mode === 'directory' && current.origin === 'environment')
      ) {
        throw new DomainError(
          'CONFLICT',
          current.mode === 'off'
            ? 'Location lookups are turned off for this console (ORG2FA_GEOIP=off); unset it to choose databases here.'
            : `ORG2FA_GEOIP_DIR is set for this console (${current.directory}) and takes precedence; unset it to choose the folder here.`,
        );
      }
      if (directory !== null && !path.isAbsolute(directory))
        throw fieldError('directory', "Give the folder's full path");
      const next: GeoSelection =
        directory === null
          ? { mode: 'bundled' }
          : { mode: 'directory', directory: path.resolve(directory), origin: 'settings' };
      // Refuses (INVALID_INPUT on `directory`) a folder without a usable database, before saving.
      const locator = createOfflineLocator(next);
      const saved = next.mode === 'directory' ? next.directory : null;
      await writeTransaction(db, async (trx) => {
        const previous = await savedGeoDirectory(trx);
        if (previous !== saved) {
          await setMeta(trx, KEY, JSON.stringify(saved));
          await audit.append(trx, {
            type: 'com.alaigned.audit.geo_directory_changed',
            userId: actor.id,
            email: actor.email,
            client,
            details: { from: previous, to: saved },
          });
        }
        // Always relocated, changed or not: saving the same folder again picks up newer files.
        await replaceIpLocations(trx, await locateTrail(trx, locator));
      });
      state.select(next, locator);
      return about();
    },

    async backfill() {
      const locator = state.locator();
      if (!locator || !(await needsBackfill(db))) return 0;
      return writeTransaction(db, async (trx) => {
        // Another console sharing the database may have filled it meanwhile.
        if (!(await needsBackfill(trx))) return 0;
        const rows = await locateTrail(trx, locator);
        await insertIpLocations(trx, rows);
        return rows.length;
      });
    },
  };
}
