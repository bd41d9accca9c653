import { sql } from 'kysely';
import { VERIFY_SUCCESS, type AuditEventType } from '../../shared/audit-events';
import { engineOf } from './engine';
import { USER_NETWORK_TYPE } from './location-detections.store';
import type { Db } from './schema';
import { FAILED, int, SUCCESS, type Range } from './verification-queries';

/**
 * admin_takeover_signals' reads: the rare events that weaken 2FA (resets, disables, backup codes
 * regenerated, org settings changes), read by their type over the (type, ts) index, and for each
 * user-level one the verifications of the hour before it with what the user's history says
 * about their network and country.
 */

export const TWO_FACTOR_RESET = 'com.alaigned.auth.2fa.reset' satisfies AuditEventType;
export const TWO_FACTOR_DISABLED = 'com.alaigned.auth.2fa.disabled' satisfies AuditEventType;
export const BACKUP_CODES_REGENERATED =
  'com.alaigned.auth.2fa.backup_codes.regenerated' satisfies AuditEventType;
export const ORG_SETTINGS_CHANGED =
  'com.alaigned.organization.2fa.settings_changed' satisfies AuditEventType;

export interface AdminEventRow {
  id: number;
  type: string;
  ts: number;
  user_id: string | null;
  email: string | null;
  ip: string | null;
  /** Parsed JSON details ({} when not an object). */
  details: Record<string, unknown>;
}

function parseDetails(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}

/** The events of some types in a range, oldest first. */
export async function eventsOfTypes(
  db: Db,
  types: readonly string[],
  range: Range,
): Promise<AdminEventRow[]> {
  const rows = await db
    .selectFrom('audit_events')
    .select(['id', 'type', 'ts', 'user_id', 'email', 'ip', 'details'])
    .where('type', 'in', types)
    .where('ts', '>=', range.sinceMs)
    .where('ts', '<', range.untilMs)
    .orderBy('ts')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: Number(r.id),
    type: r.type,
    ts: Number(r.ts),
    user_id: r.user_id,
    email: r.email,
    ip: r.ip,
    details: parseDetails(r.details),
  }));
}

export interface PrecededChangeRow {
  change_id: number;
  change_type: string;
  change_ts: number;
  user_id: string;
  email: string | null;
  verify_ts: number;
  verify_success: boolean;
  ip: string | null;
  network: string | null;
  internal: boolean;
  country: string | null;
  asn: number | null;
  /** The user succeeded from this network in the lookback before the verification. */
  network_known: boolean;
  /** ... and from this country (false when the country is unknown). */
  country_known: boolean;
  /** The user has a success older than the baseline span (an established user). */
  baseline: boolean;
}

/**
 * Each 2FA change of `types` to a user in the range, joined to the user's verifications of the
 * `withinMs` before it, each judged against the user's successes of the `lookbackMs` before it.
 * Few rows: the changes are rare, and each reads one user's last hour.
 */
export function precededChangesQuery(
  db: Db,
  types: readonly string[],
  range: Range,
  options: { withinMs: number; lookbackMs: number; baselineSpanMs: number },
) {
  const { indexedBy } = engineOf(db);
  const lookback = int(options.lookbackMs);
  return sql<Record<string, unknown>>`
    SELECT a.id AS change_id, a.type AS change_type, a.ts AS change_ts, a.user_id, a.email,
      v.ts AS verify_ts, v.type AS verify_type, v.ip, v.network,
      l.internal, l.country, l.asn,
      CASE WHEN EXISTS (
        SELECT 1 FROM audit_events n ${indexedBy(USER_NETWORK_TYPE)}
        WHERE n.type IN (${SUCCESS}, ${FAILED}) AND n.type = ${SUCCESS}
          AND n.user_id = v.user_id AND n.network = v.network
          AND n.ts >= v.ts - ${lookback} AND n.ts < v.ts
      ) THEN 1 ELSE 0 END AS network_known,
      CASE WHEN l.country IS NOT NULL AND EXISTS (
        SELECT 1 FROM audit_events c ${indexedBy('audit_success_user_ts')}
        JOIN ip_locations cl ON cl.ip = c.ip
        WHERE c.type = ${SUCCESS} AND c.user_id = v.user_id AND cl.country = l.country
          AND c.ts >= v.ts - ${lookback} AND c.ts < v.ts
      ) THEN 1 ELSE 0 END AS country_known,
      CASE WHEN EXISTS (
        SELECT 1 FROM audit_events o ${indexedBy('audit_success_user_ts')}
        WHERE o.type = ${SUCCESS} AND o.user_id = v.user_id
          AND o.ts >= v.ts - ${lookback} AND o.ts < v.ts - ${int(options.baselineSpanMs)}
      ) THEN 1 ELSE 0 END AS baseline
    FROM audit_events a ${indexedBy('audit_type_ts')}
    JOIN audit_events v ${indexedBy('audit_user_ts')}
      ON v.user_id = a.user_id AND v.ts >= a.ts - ${int(options.withinMs)} AND v.ts <= a.ts
    LEFT JOIN ip_locations l ON l.ip = v.ip
    WHERE a.type IN (${sql.join(types.map((t) => sql.lit(t)))})
      AND a.ts >= ${range.sinceMs} AND a.ts < ${range.untilMs} AND a.user_id IS NOT NULL
      AND v.type IN (${SUCCESS}, ${FAILED})
    ORDER BY a.ts, a.id, v.ts`;
}

export async function precededChanges(
  db: Db,
  types: readonly string[],
  range: Range,
  options: { withinMs: number; lookbackMs: number; baselineSpanMs: number },
): Promise<PrecededChangeRow[]> {
  const result = await precededChangesQuery(db, types, range, options).execute(db);
  return result.rows.map((r) => ({
    change_id: Number(r.change_id),
    change_type: String(r.change_type),
    change_ts: Number(r.change_ts),
    user_id: String(r.user_id),
    email: (r.email as string | null) ?? null,
    verify_ts: Number(r.verify_ts),
    verify_success: r.verify_type === VERIFY_SUCCESS,
    ip: (r.ip as string | null) ?? null,
    network: (r.network as string | null) ?? null,
    internal: Number(r.internal ?? 0) === 1,
    country: Number(r.internal ?? 0) === 1 ? null : ((r.country as string | null) ?? null),
    asn: r.asn === null || r.asn === undefined ? null : Number(r.asn),
    network_known: Number(r.network_known) === 1,
    country_known: Number(r.country_known) === 1,
    baseline: Number(r.baseline) === 1,
  }));
}
