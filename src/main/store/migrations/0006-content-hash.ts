import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { engineOf } from '../engine';

const BATCH = 5000;

/**
 * Each event's content hash (everything but its source): importing the same events twice, or
 * re-importing an export, adds nothing. Derived like ip_key; the chain still covers the content.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's schema types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('audit_events').addColumn('content_hash', 'text').execute();
  await engineOf(db).dropAppendOnlyTrigger(db, 'update');
  let lastId = 0;
  for (;;) {
    const rows: Array<Record<string, unknown> & { id: number }> = await db
      .selectFrom('audit_events')
      .select(['id', 'type', 'ts', 'user_id', 'email', 'ip', 'user_agent', 'method', 'details'])
      .where('id', '>', lastId)
      .orderBy('id')
      .limit(BATCH)
      .execute();
    if (rows.length === 0) break;
    for (const row of rows) {
      // Same fields, same order as audit/audit-chain.ts contentHashOf (frozen here on purpose).
      const content = [
        row.type,
        Number(row.ts),
        row.user_id,
        row.email,
        row.ip,
        row.user_agent,
        row.method,
        row.details,
      ];
      const hash = createHash('sha256').update(JSON.stringify(content)).digest('hex');
      await db
        .updateTable('audit_events')
        .set({ content_hash: hash })
        .where('id', '=', row.id)
        .execute();
    }
    lastId = rows.at(-1)!.id;
  }
  await engineOf(db).createAppendOnlyTrigger(db, 'update');
  await db.schema
    .createIndex('audit_content_hash')
    .on('audit_events')
    .column('content_hash')
    .execute();
}
