import { sql } from 'kysely';
import type { App } from '../../src/main/app';
import { writeTransaction } from '../../src/main/store/transaction';
import type { Corpus } from './corpus';

const EVENT_BATCH = 20_000;
const LOCATION_BATCH = 2_000;

/**
 * Appends the corpus through the app's own append path (hash chain, derived columns) in one
 * transaction, then writes every address's location from the address plan: after the append,
 * so the plan's rows win over whatever the geo locator recorded.
 */
export async function writeCorpus(app: App, corpus: Corpus): Promise<void> {
  await writeTransaction(app.db, async (trx) => {
    for (let i = 0; i < corpus.events.length; i += EVENT_BATCH)
      await app.services.audit.appendHistorical(trx, corpus.events.slice(i, i + EVENT_BATCH));
    const rows = [...corpus.locations].map(([ip, where]) => ({
      ip,
      internal: where.internal ? 1 : 0,
      country: where.country,
      asn: where.asn,
      as_org: where.asOrg,
      latitude: where.latitude,
      longitude: where.longitude,
    }));
    for (let i = 0; i < rows.length; i += LOCATION_BATCH)
      await trx
        .insertInto('ip_locations')
        .values(rows.slice(i, i + LOCATION_BATCH))
        .onConflict((conflict) =>
          conflict.column('ip').doUpdateSet({
            internal: sql`excluded.internal`,
            country: sql`excluded.country`,
            asn: sql`excluded.asn`,
            as_org: sql`excluded.as_org`,
            latitude: sql`excluded.latitude`,
            longitude: sql`excluded.longitude`,
          }),
        )
        .execute();
  });
}
