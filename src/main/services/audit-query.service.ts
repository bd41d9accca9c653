import type { AuditEvent } from '../../shared/contract';
import { DomainError } from '../domain-error';
import { queryAuditEvents, type AuditCursor, type AuditFilter } from '../store/audit.store';
import type { AuditEventRow, Db } from '../store/schema';

export const DEFAULT_PAGE_SIZE = 100;

export interface AuditQuery {
  types?: string[];
  email?: string;
  userId?: string;
  ip?: string;
  method?: 'totp' | 'backup_code';
  since?: string;
  until?: string;
  text?: string;
  limit?: number;
  cursor?: string;
}

export interface AuditQueryService {
  query(input: AuditQuery): Promise<{ events: AuditEvent[]; nextCursor: string | null }>;
}

export function encodeCursor(cursor: AuditCursor): string {
  return Buffer.from(`${cursor.ts}.${cursor.id}`).toString('base64url');
}

export function decodeCursor(text: string): AuditCursor {
  const match = /^(\d+)\.(\d+)$/.exec(Buffer.from(text, 'base64url').toString('utf8'));
  if (!match) throw new DomainError('INVALID_INPUT', 'cursor: not a cursor this console issued');
  return { ts: Number(match[1]), id: Number(match[2]) };
}

/** The row as the contract shows it: ISO time, parsed details. */
export function toAuditEvent(row: AuditEventRow): AuditEvent {
  return {
    id: row.id,
    type: row.type,
    timestamp: new Date(Number(row.ts)).toISOString(),
    userId: row.user_id,
    email: row.email,
    ip: row.ip,
    userAgent: row.user_agent,
    method: row.method === 'totp' || row.method === 'backup_code' ? row.method : null,
    details: JSON.parse(row.details) as Record<string, unknown>,
  };
}

export function createAuditQueryService(deps: { db: Db }): AuditQueryService {
  return {
    async query(input) {
      const limit = input.limit ?? DEFAULT_PAGE_SIZE;
      const filter: AuditFilter = {
        types: input.types,
        email: input.email,
        userId: input.userId,
        ip: input.ip,
        method: input.method,
        sinceMs: input.since ? Date.parse(input.since) : undefined,
        untilMs: input.until ? Date.parse(input.until) : undefined,
        text: input.text,
      };
      // One extra row tells whether another page exists without a COUNT.
      const rows = await queryAuditEvents(
        deps.db,
        filter,
        input.cursor ? decodeCursor(input.cursor) : null,
        limit + 1,
      );
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return {
        events: page.map(toAuditEvent),
        nextCursor:
          rows.length > limit && last ? encodeCursor({ ts: Number(last.ts), id: last.id }) : null,
      };
    },
  };
}
