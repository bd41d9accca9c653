import { sql } from 'kysely';
import { VERIFY_SUCCESS } from '../../shared/audit-events';
import type { Db } from './schema';
import type { Range } from './verification-queries';

/**
 * The /24 (/48) networks from which at least `percent` % of the users who verified successfully
 * in the range did so: the office NAT and the VPN egress everybody uses. Served by the partial
 * index on successful verifications by network.
 */
export async function ordinaryNetworks(
  db: Db,
  range: Range,
  percent: number,
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
  const users = Number(total.users);
  if (users === 0) return new Set();
  const rows = await successes
    .where('network', 'is not', null)
    .select(['network', sql<number>`count(distinct user_id)`.as('users')])
    .groupBy('network')
    .having(sql<number>`count(distinct user_id)`, '>=', Math.ceil((users * percent) / 100))
    .execute();
  return new Set(rows.map((row) => row.network).filter((n): n is string => n !== null));
}
