import { sql } from 'kysely';
import { int } from './verification-queries';
import type { Db, MessageTemplateRow, RolloutRow } from './schema';

export async function findAnnouncement(db: Db): Promise<RolloutRow | undefined> {
  return db.selectFrom('rollout').selectAll().where('id', '=', 1).executeTakeFirst();
}

export async function saveAnnouncement(db: Db, row: Omit<RolloutRow, 'id'>): Promise<void> {
  await db
    .insertInto('rollout')
    .values({ id: 1, ...row })
    .onConflict((oc) => oc.column('id').doUpdateSet(row))
    .execute();
}

export async function clearAnnouncement(db: Db): Promise<void> {
  await db.deleteFrom('rollout').where('id', '=', 1).execute();
}

export async function listTemplateRows(db: Db): Promise<MessageTemplateRow[]> {
  return db.selectFrom('message_templates').selectAll().orderBy('name').execute();
}

export async function findTemplateRow(db: Db, id: string): Promise<MessageTemplateRow | undefined> {
  return db.selectFrom('message_templates').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function saveTemplateRow(db: Db, row: MessageTemplateRow): Promise<void> {
  const { name, kind, subject, body, updated_at, updated_by } = row;
  await db
    .insertInto('message_templates')
    .values(row)
    .onConflict((oc) =>
      oc.column('id').doUpdateSet({ name, kind, subject, body, updated_at, updated_by }),
    )
    .execute();
}

export async function deleteTemplateRow(db: Db, id: string): Promise<void> {
  await db.deleteFrom('message_templates').where('id', '=', id).execute();
}

const DAY_MS = 86_400_000;
const ENROLLED = 'com.alaigned.auth.2fa.enabled';
const UNENROLLED = ['com.alaigned.auth.2fa.disabled', 'com.alaigned.auth.2fa.reset'];

/**
 * Net change in enrolled users per local day (day number since 1970-01-01, local time), from
 * the audit trail: +1 per completed setup, -1 per user who turned it off or was reset.
 */
export async function enrollmentChangesByDay(
  db: Db,
  tzOffsetMs: number,
): Promise<Array<{ day: number; delta: number }>> {
  const day = sql<number>`(ts + ${int(tzOffsetMs)}) / ${int(DAY_MS)}`;
  const rows = await db
    .selectFrom('audit_events')
    .select([
      day.as('day'),
      sql<number>`SUM(CASE WHEN type = ${ENROLLED} THEN 1 ELSE -1 END)`.as('delta'),
    ])
    .where('type', 'in', [ENROLLED, ...UNENROLLED])
    .groupBy(day)
    .orderBy(day)
    .execute();
  return rows.map((r) => ({ day: Number(r.day), delta: Number(r.delta) }));
}
