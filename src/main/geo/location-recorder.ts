import { insertIpLocations } from '../store/ip-location-fill.store';
import type { Db, IpLocationRow } from '../store/schema';
import { afterCommit, transactionKey } from '../store/transaction';
import type { IpLocation } from './geo-locator';
import type { GeoState } from './geo-state';

/**
 * Fills ip_locations as events are appended, in the appender's write transaction: one lookup and
 * one row per new distinct address of a batch, never per event.
 */
export interface LocationRecorder {
  record(trx: Db, ips: Iterable<string | null>): Promise<void>;
}

export function locationRow(ip: string, where: IpLocation): IpLocationRow {
  return {
    ip,
    internal: where.internal ? 1 : 0,
    country: where.country,
    asn: where.asn,
    as_org: where.asOrg,
    latitude: where.latitude,
    longitude: where.longitude,
  };
}

/** Addresses remembered as stored, at most: past it the memory starts over (rows stay). */
const STORED_CAPACITY = 200_000;

/**
 * A recorder for one database, with this process's memory of the addresses it already holds:
 * those cost nothing more. What a transaction wrote is remembered for the rest of it (an import
 * is one transaction of many batches), and for good only once it commits, so a rolled-back
 * import leaves nothing believed stored that is not. Rows already there (another console's, a
 * crafted one) are kept: ON CONFLICT DO NOTHING.
 */
export function createLocationRecorder(geo: Pick<GeoState, 'locator'>): LocationRecorder {
  const stored = new Set<string>();
  const pending = new WeakMap<object, Set<string>>();
  return {
    async record(trx, ips) {
      const locator = geo.locator();
      if (!locator) return;
      const key = transactionKey(trx);
      let written = key && pending.get(key);
      const fresh = new Set<string>();
      for (const ip of ips) if (ip && !stored.has(ip) && !written?.has(ip)) fresh.add(ip);
      if (fresh.size === 0) return;
      const rows = [...fresh].map((ip) => locationRow(ip, locator.locate(ip)));
      await insertIpLocations(trx, rows);
      if (!key) return; // Outside a writeTransaction: nothing to remember safely.
      if (!written) {
        const mine = (written = new Set<string>());
        pending.set(key, mine);
        afterCommit(trx, () => {
          if (stored.size + mine.size > STORED_CAPACITY) stored.clear();
          for (const ip of mine) stored.add(ip);
        });
      }
      for (const ip of fresh) written.add(ip);
    },
  };
}
