import type { RequiredFor } from '../../shared/domain';
import type { Db, OrganizationRow } from './schema';

export async function findOrganization(db: Db): Promise<OrganizationRow | undefined> {
  return db.selectFrom('organization').selectAll().where('id', '=', 1).executeTakeFirst();
}

export async function insertOrganization(db: Db, name: string, createdAt: number): Promise<void> {
  await db
    .insertInto('organization')
    .values({
      id: 1,
      name,
      two_factor_enabled: 0,
      two_factor_required: 0,
      two_factor_required_for: 'everyone',
      created_at: createdAt,
    })
    .execute();
}

export async function updateTwoFactorSettings(
  db: Db,
  settings: { enabled: boolean; required: boolean; requiredFor: RequiredFor },
): Promise<void> {
  await db
    .updateTable('organization')
    .set({
      two_factor_enabled: settings.enabled ? 1 : 0,
      two_factor_required: settings.required ? 1 : 0,
      two_factor_required_for: settings.requiredFor,
    })
    .where('id', '=', 1)
    .execute();
}
