import { sql } from 'kysely';
import { VERIFY_SUCCESS } from '../../shared/audit-events';
import type { Db } from './schema';
import type { Range } from './verification-queries';

/**
 * The /24 (/48) networks from which at least `percent` % of the users who verified successfully
 * in the range did so, and at least `minUsers` users: the office NAT and the VPN exit everybody
 * uses. Successes only: an attacker's failures never make a network ordinary.
 */
export async function ordinaryNetworks(
  db: Db,
  range: Range,
  percent: number,
  minUsers: number,
): Promise<Set<string>> {
  if (percent <= 0) return new Set();
  const successes = db
    .selectFrom('audit_events')
    .where('type', '=', VERIFY_SUCCESS)
    .where('ts', '>=', range.sinceMs)
    .where('ts', '<', range.untilMs)
    .where('user_id', 'is not', null);
  const total = await successes
    .select(sql<number>`count(distinct user_id)`.as('users'))
    .executeTakeFirstOrThrow();
  const needed = Math.max(minUsers, Math.ceil((Number(total.users) * percent) / 100));
  const rows = await successes
    .where('network', 'is not', null)
    .select(['network', sql<number>`count(distinct user_id)`.as('users')])
    .groupBy('network')
    .having(sql<number>`count(distinct user_id)`, '>=', needed)
    .execute();
  return new Set(rows.map((row) => row.network!));
}

/** The addresses ip_locations places in these autonomous systems (its asn index). */
export async function addressesInAsns(db: Db, asns: readonly number[]): Promise<Set<string>> {
  if (asns.length === 0) return new Set();
  const rows = await db
    .selectFrom('ip_locations')
    .select('ip')
    .where('asn', 'in', [...asns])
    .execute();
  return new Set(rows.map((row) => row.ip));
}
