import type { Db, IpLocationRow } from './schema';

/** Rows per INSERT: 7 parameters each, far below either engine's bound-variable limit. */
const ROWS_PER_INSERT = 500;

/**
 * Records the locations of addresses; an address already located keeps its row (ON CONFLICT DO
 * NOTHING), so concurrent appenders, and crafted rows in tests, are never overwritten.
 */
export async function insertIpLocations(db: Db, rows: readonly IpLocationRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
    await db
      .insertInto('ip_locations')
      .values(rows.slice(i, i + ROWS_PER_INSERT))
      .onConflict((conflict) => conflict.column('ip').doNothing())
      .execute();
  }
}

/** Every distinct address of the trail (read along the (ip, ts) index, not the table). */
export async function distinctTrailAddresses(db: Db): Promise<string[]> {
  const rows = await db
    .selectFrom('audit_events')
    .select('ip')
    .distinct()
    .where('ip', 'is not', null)
    .execute();
  return rows.map((row) => row.ip!);
}

/** Whether the trail holds an address that ip_locations has no row for yet, cheaply: at open. */
export async function needsBackfill(db: Db): Promise<boolean> {
  const located = await db.selectFrom('ip_locations').select('ip').limit(1).executeTakeFirst();
  if (located) return false;
  const address = await db
    .selectFrom('audit_events')
    .select('ip')
    .where('ip', 'is not', null)
    .limit(1)
    .executeTakeFirst();
  return address !== undefined;
}

/** Replaces every row: the refill after the admin chose other databases. */
export async function replaceIpLocations(db: Db, rows: readonly IpLocationRow[]): Promise<void> {
  await db.deleteFrom('ip_locations').execute();
  await insertIpLocations(db, rows);
}

export async function countIpLocations(db: Db): Promise<number> {
  const row = await db
    .selectFrom('ip_locations')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
