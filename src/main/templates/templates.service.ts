import { randomUUID } from 'node:crypto';
import type { TemplateDraft } from '../../shared/contract';
import { defaultTemplates, type MessageTemplate } from '../../shared/rollout';
import type { Clock } from '../clock';
import { DomainError } from '../domain-error';
import {
  deleteTemplateRow,
  findTemplateRow,
  listTemplateRows,
  saveTemplateRow,
} from '../store/rollout.store';
import type { Db, MessageTemplateRow } from '../store/schema';
import { writeTransaction } from '../store/transaction';
import type { AuditService } from '../audit/audit.service';
import type { ClientInfo } from '../client-info';

const builtIn = new Map<string, (typeof defaultTemplates)[number]>(
  defaultTemplates.map((t) => [t.id, t]),
);

function fromRow(row: MessageTemplateRow): MessageTemplate {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind === 'reminder' ? 'reminder' : 'announcement',
    subject: row.subject,
    body: row.body,
    builtIn: builtIn.has(row.id),
    updatedAt: new Date(Number(row.updated_at)).toISOString(),
  };
}

function defaultOf(id: string): MessageTemplate | null {
  const t = builtIn.get(id);
  return t ? { ...t, builtIn: true, updatedAt: null } : null;
}

/**
 * Message templates: the guide's announcement and the reminder are always there (as edited, or
 * as written); the org can add its own. Saves are audited.
 */
export function createTemplatesService(deps: { db: Db; clock: Clock; audit: AuditService }) {
  const { db, clock, audit } = deps;

  async function find(trx: Db, id: string): Promise<MessageTemplate | null> {
    const row = await findTemplateRow(trx, id);
    return row ? fromRow(row) : defaultOf(id);
  }

  return {
    async list(): Promise<MessageTemplate[]> {
      const rows = await listTemplateRows(db);
      const edited = new Map(rows.map((row) => [row.id, fromRow(row)]));
      const defaults = defaultTemplates.map((t) => edited.get(t.id) ?? defaultOf(t.id)!);
      return [...defaults, ...rows.filter((row) => !builtIn.has(row.id)).map(fromRow)];
    },

    async get(id: string): Promise<MessageTemplate> {
      const template = await find(db, id);
      if (!template) throw new DomainError('NOT_FOUND', `There is no template "${id}".`);
      return template;
    },

    async save(
      draft: TemplateDraft,
      actor: { id: string; email: string },
      client: ClientInfo,
    ): Promise<MessageTemplate> {
      return writeTransaction(db, async (trx) => {
        const existing = draft.id ? await find(trx, draft.id) : null;
        if (draft.id && !existing)
          throw new DomainError('NOT_FOUND', `There is no template "${draft.id}".`);
        const row: MessageTemplateRow = {
          id: existing?.id ?? `custom-${randomUUID()}`,
          name: draft.name,
          // A default keeps its kind; the reminder is always the reminder.
          kind: existing?.builtIn
            ? existing.kind
            : (draft.kind ?? existing?.kind ?? 'announcement'),
          subject: draft.subject,
          body: draft.body,
          updated_at: clock.now(),
          updated_by: actor.id,
        };
        await saveTemplateRow(trx, row);
        await audit.append(trx, {
          type: 'com.alaigned.rollout.template_saved',
          userId: actor.id,
          email: actor.email,
          client,
          details: { templateId: row.id, name: row.name, created: !existing },
        });
        return fromRow(row);
      });
    },

    /** A default back as the guide wrote it. */
    async reset(
      id: string,
      actor: { id: string; email: string },
      client: ClientInfo,
    ): Promise<MessageTemplate> {
      const original = defaultOf(id);
      if (!original)
        throw new DomainError('INVALID_INPUT', 'Only the two default templates can be reset.');
      return writeTransaction(db, async (trx) => {
        await deleteTemplateRow(trx, id);
        await audit.append(trx, {
          type: 'com.alaigned.rollout.template_saved',
          userId: actor.id,
          email: actor.email,
          client,
          details: { templateId: id, name: original.name, reset: true },
        });
        return original;
      });
    },
  };
}
export type TemplatesService = ReturnType<typeof createTemplatesService>;
