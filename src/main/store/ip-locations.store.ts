import type { Db } from './schema';

/** At most this many addresses per lookup: SQLite's variable limit, with room to spare. */
const CHUNK = 500;

/** The distinct countries and autonomous systems of some addresses, each sorted. */
export async function locationSummary(
  db: Db,
  ips: readonly string[],
): Promise<{ countries: string[]; asns: number[] }> {
  const countries = new Set<string>();
  const asns = new Set<number>();
  for (let i = 0; i < ips.length; i += CHUNK) {
    const rows = await db
      .selectFrom('ip_locations')
      .select(['country', 'asn'])
      .where('ip', 'in', ips.slice(i, i + CHUNK))
      .execute();
    for (const row of rows) {
      if (row.country) countries.add(row.country);
      if (row.asn !== null) asns.add(Number(row.asn));
    }
  }
  return { countries: [...countries].sort(), asns: [...asns].sort((a, b) => a - b) };
}

/** Each located address's autonomous system (null: unknown) and whether it is internal. */
export async function locationsOf(
  db: Db,
  ips: readonly string[],
): Promise<Map<string, { asn: number | null; internal: boolean }>> {
  const located = new Map<string, { asn: number | null; internal: boolean }>();
  for (let i = 0; i < ips.length; i += CHUNK) {
    const rows = await db
      .selectFrom('ip_locations')
      .select(['ip', 'asn', 'internal'])
      .where('ip', 'in', ips.slice(i, i + CHUNK))
      .execute();
    for (const row of rows)
      located.set(row.ip, {
        asn: row.asn === null ? null : Number(row.asn),
        internal: Number(row.internal) === 1,
      });
  }
  return located;
}
