import { rolloutPhaseOf, type RolloutPhase } from '../../shared/rollout';
import { clearAnnouncement, findAnnouncement } from '../store/rollout.store';
import type { Db } from '../store/schema';
import type { AuditService } from '../audit/audit.service';
import type { ClientInfo } from '../client-info';

interface Switches {
  enabled: boolean;
  required: boolean;
}

/**
 * Keeps the rollout in step with a settings change, inside the change's transaction: stepping
 * back from Require, or switching 2FA off, ends the rollout (its announcement no longer holds);
 * any phase change is audited.
 */
export async function followSettingsChange(
  trx: Db,
  audit: AuditService,
  change: { previous: Switches; next: Switches },
  actor: { id: string; email: string },
  client: ClientInfo,
): Promise<void> {
  const announcement = await findAnnouncement(trx);
  const before = rolloutPhaseOf(change.previous, Boolean(announcement));
  const rolledBack = !change.next.enabled || (change.previous.required && !change.next.required);
  if (announcement && rolledBack) await clearAnnouncement(trx);
  const after = rolloutPhaseOf(change.next, Boolean(announcement) && !rolledBack);
  await auditPhaseChange(trx, audit, before, after, 'settings', actor, client);
}

export async function auditPhaseChange(
  trx: Db,
  audit: AuditService,
  from: RolloutPhase,
  to: RolloutPhase,
  cause: 'settings' | 'announced',
  actor: { id: string; email: string },
  client: ClientInfo,
): Promise<void> {
  if (from === to) return;
  await audit.append(trx, {
    type: 'com.alaigned.rollout.phase_changed',
    userId: actor.id,
    email: actor.email,
    client,
    details: { from, to, cause },
  });
}
