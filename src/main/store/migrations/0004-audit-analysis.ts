import { sql, type Kysely } from 'kysely';
import { engineOf } from '../engine';
import ipaddr from 'ipaddr.js';

const BATCH = 5000;
const VERIFY_SUCCESS = 'com.alaigned.auth.2fa.verify.success';
const VERIFY_FAILED = 'com.alaigned.auth.2fa.verify.failed';

/**
 * The address columns as this migration wrote them, frozen here on purpose: network/ip-network.ts
 * may change how new rows are derived, but what a migration did to old rows must not.
 * ip_key: the 128-bit address (IPv4 as IPv4-mapped IPv6) in 32 hex digits; network: its /24
 * (IPv4, an IPv4-mapped IPv6 address read as IPv4) or /48 (IPv6) block.
 */
function addressColumns0004(ip: string): { ipKey: string; network: string } | null {
  let address: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    address = ipaddr.parse(ip);
  } catch {
    return null;
  }
  if (address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress())
    address = (address as ipaddr.IPv6).toIPv4Address();
  const v4 = address.kind() === 'ipv4';
  const bits = v4 ? 24 : 48;
  const prefix = v4
    ? ipaddr.IPv4.networkAddressFromCIDR(`${address.toString()}/${bits}`)
    : ipaddr.IPv6.networkAddressFromCIDR(`${address.toString()}/${bits}`);
  const v6 = v4 ? (address as ipaddr.IPv4).toIPv4MappedAddress() : (address as ipaddr.IPv6);
  const ipKey = v6
    .toByteArray()
    .map((b) => b.toString(16).padStart(2, '0'))
    .join('');
  return { ipKey, network: `${prefix.toString()}/${bits}` };
}

/**
 * Audit analysis: each event's address as a sortable key (CIDR filters become index ranges) and
 * its network (/24, /48) for the patterns; indexes for the audit page's filters and for
 * "new network for this user". Both columns are derived from `ip`, which the hash chain covers;
 * chain verification recomputes them, so editing them is caught too.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's schema types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('audit_events').addColumn('ip_key', 'text').execute();
  await db.schema.alterTable('audit_events').addColumn('network', 'text').execute();

  // Existing rows get the derived columns; the append-only guard is lifted for exactly this.
  await engineOf(db).dropAppendOnlyTrigger(db, 'update');
  let lastId = 0;
  for (;;) {
    const rows: Array<{ id: number; ip: string | null }> = await db
      .selectFrom('audit_events')
      .select(['id', 'ip'])
      .where('id', '>', lastId)
      .where('ip', 'is not', null)
      .orderBy('id')
      .limit(BATCH)
      .execute();
    if (rows.length === 0) break;
    for (const row of rows) {
      const columns = row.ip ? addressColumns0004(row.ip) : null;
      await db
        .updateTable('audit_events')
        .set({ ip_key: columns?.ipKey ?? null, network: columns?.network ?? null })
        .where('id', '=', row.id)
        .execute();
    }
    lastId = rows.at(-1)!.id;
  }
  await engineOf(db).createAppendOnlyTrigger(db, 'update');

  await db.schema.dropIndex('audit_ip_ts').execute();
  await db.schema
    .createIndex('audit_email_ts')
    .on('audit_events')
    .columns(['email', 'ts'])
    .execute();
  await db.schema
    .createIndex('audit_ipkey_ts')
    .on('audit_events')
    .columns(['ip_key', 'ts'])
    .execute();
  // Partial: only verifications count for "a network never seen for this user", and the index
  // stays a fraction of the table.
  await db.schema
    .createIndex('audit_verify_user_network_ts')
    .on('audit_events')
    .columns(['user_id', 'network', 'ts'])
    .where(sql.ref('type'), 'in', [VERIFY_SUCCESS, VERIFY_FAILED])
    .execute();
}
