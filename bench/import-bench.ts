import { connect } from '../src/main/store/connection';
import { openDatabase } from '../src/main/store/database';
import { countIpLocations } from '../src/main/store/ip-location-fill.store';
import { chainedRow, type HistoricalEvent } from '../src/main/audit/audit.service';
import { GENESIS_HASH } from '../src/main/audit/audit-chain';
import { runMeasured, type ProcessFigures } from './measure';

/**
 * The reference: the same rows into the same schema (every index, the append-only triggers), on a
 * connection with the console's settings, with
 * the hash chain computed, by one prepared INSERT in one transaction: no parsing, validation or
 * duplicate check. The floor the importer is measured against.
 */
export async function rawInsertEventsPerSecond(
  file: string,
  events: HistoricalEvent[],
  source: string,
): Promise<number> {
  await (await openDatabase(file)).close();
  // The console's own connection settings (page cache, WAL), used here through the bare driver.
  const { sqlite } = connect(file);
  sqlite.pragma('synchronous = NORMAL');
  try {
    const insert = sqlite.prepare(
      `INSERT INTO audit_events (type, ts, user_id, email, ip, user_agent, method, details, source,
         prev_hash, hash, ip_key, network, content_hash)
       VALUES (@type, @ts, @user_id, @email, @ip, @user_agent, @method, @details, @source,
         @prev_hash, @hash, @ip_key, @network, @content_hash)`,
    );
    const start = process.hrtime.bigint();
    sqlite.transaction(() => {
      let previous = GENESIS_HASH;
      for (const event of events) {
        const row = chainedRow(previous, { ...event, source });
        insert.run(row);
        previous = row.hash;
      }
    })();
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    return events.length / seconds;
  } finally {
    sqlite.close();
  }
}

/**
 * The product: `org2fa import` in its own process, as an admin runs it; `locating: false` runs
 * it with ORG2FA_GEOIP=off, the same import without the location lookups and their rows.
 */
export async function cliImport(
  cli: string,
  dbFile: string,
  eventFile: string,
  count: number,
  options: { locating?: boolean } = {},
): Promise<ProcessFigures & { eventsPerSecond: number }> {
  const env = { ...process.env };
  if (options.locating === false) env.ORG2FA_GEOIP = 'off';
  else delete env.ORG2FA_GEOIP;
  const figures = await runMeasured(process.execPath, [cli, 'import', '--db', dbFile, eventFile], {
    env,
  });
  return { ...figures, eventsPerSecond: count / figures.seconds };
}

/** How many distinct addresses the import located (ip_locations rows). */
export async function locatedAddresses(location: string): Promise<number> {
  const opened = await openDatabase(location);
  try {
    return await countIpLocations(opened.db);
  } finally {
    await opened.close();
  }
}
