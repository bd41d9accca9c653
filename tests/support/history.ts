import { canonicalJson } from '../../src/main/audit/audit-chain';
import type { HistoricalEvent } from '../../src/main/audit/audit.service';
import { writeTransaction } from '../../src/main/store/transaction';
import type { App } from '../../src/main/app';
import { VERIFY_FAILED, VERIFY_SUCCESS } from '../../src/shared/audit-events';

export const SUCCESS = VERIFY_SUCCESS;
export const FAILED = VERIFY_FAILED;
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** Where an address is, as the offline geo data would say (an ip_locations row). */
export interface CraftedLocation {
  country?: string | null;
  asn?: number | null;
  latitude?: number | null;
  longitude?: number | null;
}

/**
 * Builds crafted audit histories of verifications: `fail(ts, user, ip)`, `succeed(ts, user, ip)`
 * and `routine(user, ip, fromTs, days)` add events (all from test-agent, by TOTP);
 * `locate(ip, where)` places an address; `writeTo(app)` appends the events to the chain in time
 * order, then upserts the locations (after the append, so they win over whatever it located).
 */
export function history() {
  const events: HistoricalEvent[] = [];
  const locations = new Map<string, CraftedLocation>();
  const add = (
    type: string,
    ts: number,
    user: string,
    ip: string,
    details: Record<string, unknown> = {},
  ) =>
    events.push({
      type,
      ts,
      userId: user,
      email: `${user}@acme.test`,
      ip,
      userAgent: 'test-agent',
      method: 'totp',
      details: canonicalJson(details),
      source: 'test',
    });
  return {
    events,
    fail: (ts: number, user: string, ip: string) =>
      add(FAILED, ts, user, ip, { reason: 'wrong_code' }),
    succeed: (ts: number, user: string, ip: string) => add(SUCCESS, ts, user, ip),
    /** A user's normal routine: one successful sign-in a day from `ip` for `days` days. */
    routine(user: string, ip: string, fromTs: number, days: number) {
      for (let d = 0; d < days; d++) add(SUCCESS, fromTs + d * DAY + 9 * HOUR, user, ip);
    },
    locate(ip: string, where: CraftedLocation) {
      locations.set(ip, where);
    },
    async writeTo(app: App) {
      events.sort((a, b) => a.ts - b.ts);
      await writeTransaction(app.db, (trx) => app.services.audit.appendHistorical(trx, events));
      for (const [ip, where] of locations) {
        const row = {
          internal: 0,
          country: where.country ?? null,
          asn: where.asn ?? null,
          latitude: where.latitude ?? null,
          longitude: where.longitude ?? null,
        };
        await app.db
          .insertInto('ip_locations')
          .values({ ip, ...row })
          .onConflict((conflict) => conflict.column('ip').doUpdateSet(row))
          .execute();
      }
    },
  };
}
