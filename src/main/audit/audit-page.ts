import type { AuditEvent, AuditFilterInput, ParsedInput } from '../../shared/contract';
import { auditEventTypes } from '../../shared/audit-events';
import { DomainError } from '../domain-error';
import { cidrKeyRange, ipKey } from '../network/ip-network';
import {
  auditEventById,
  listedCuts,
  queryAuditEvents,
  type AuditCursor,
  type AuditFilter,
  type ListedAuditEventRow,
} from '../store/audit.store';
import type { AuditEventRow, Db } from '../store/schema';
import { MINUTE_MS } from './time-range';

export const DEFAULT_PAGE_SIZE = 100;

export function encodeCursor(cursor: AuditCursor): string {
  return Buffer.from(`${cursor.ts}.${cursor.id}`).toString('base64url');
}

export function decodeCursor(text: string): AuditCursor {
  const match = /^(\d+)\.(\d+)$/.exec(Buffer.from(text, 'base64url').toString('utf8'));
  if (!match) throw new DomainError('INVALID_INPUT', 'cursor: not a cursor this console issued');
  return { ts: Number(match[1]), id: Number(match[2]) };
}

/** The columns of an event the contract shows. */
type ShownColumns = Pick<
  AuditEventRow,
  'id' | 'type' | 'ts' | 'user_id' | 'email' | 'ip' | 'user_agent' | 'method' | 'details' | 'source'
>;

/** The row as the contract shows it: ISO time, parsed details. */
export function toAuditEvent(row: ShownColumns): AuditEvent {
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
    source: row.source,
  };
}

/** A listed row as the contract shows it: what the list cut is marked `truncated`. */
function toListedAuditEvent(row: ListedAuditEventRow): AuditEvent {
  const cut = listedCuts(row);
  const event = toAuditEvent({ ...row, details: cut.details ? '{}' : row.details });
  if (!cut.details && !cut.userAgent) return event;
  return {
    ...event,
    truncated: {
      ...(cut.details
        ? { details: { bytes: Number(row.details_bytes), preview: row.details } }
        : {}),
      ...(cut.userAgent ? { userAgent: { bytes: Number(row.user_agent_bytes) } } : {}),
    },
  };
}

/** The types an outcome stands for: every known `…success` or `…failed` event. */
function typesForOutcome(outcome: 'success' | 'failure'): string[] {
  return auditEventTypes.filter((t) =>
    outcome === 'success' ? t.endsWith('.success') : t.endsWith('.failed'),
  );
}

export function toAuditFilter(input: AuditFilterInput): AuditFilter {
  let types = input.types;
  if (input.outcome) {
    const outcomeTypes = typesForOutcome(input.outcome);
    types = types ? types.filter((t) => outcomeTypes.includes(t)) : outcomeTypes;
    // An outcome that excludes every requested type matches nothing.
    if (types.length === 0) types = ['(no such type)'];
  }
  let ipFilter: Pick<AuditFilter, 'ipKey' | 'ipKeyRange'> = {};
  if (input.ip) {
    if (input.ip.includes('/')) {
      const range = cidrKeyRange(input.ip);
      if (!range)
        throw new DomainError('INVALID_INPUT', `ip: "${input.ip}" is not a valid CIDR block`);
      ipFilter = { ipKeyRange: range };
    } else {
      const key = ipKey(input.ip);
      if (!key) throw new DomainError('INVALID_INPUT', `ip: "${input.ip}" is not a valid address`);
      ipFilter = { ipKey: key };
    }
  }
  return {
    types,
    email: input.email,
    userId: input.userId,
    ...ipFilter,
    country: input.country,
    method: input.method,
    sinceMs: input.since ? Date.parse(input.since) : undefined,
    untilMs: input.until ? Date.parse(input.until) : undefined,
    text: input.text,
    unresolved: input.unresolved,
    weekday: input.weekday,
    hour: input.hour,
    tzOffsetMs: (input.tzOffsetMinutes ?? 0) * MINUTE_MS,
  };
}

/** The audit page (filtered, keyset-paged) and one whole event. */
export function createAuditPage(db: Db) {
  return {
    async page(input: ParsedInput<'audit.query'>) {
      const limit = input.limit ?? DEFAULT_PAGE_SIZE;
      // One extra row tells whether another page exists without a COUNT.
      const { rows, continueAfter } = await queryAuditEvents(
        db,
        toAuditFilter(input),
        input.cursor ? decodeCursor(input.cursor) : null,
        limit + 1,
      );
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      // A text search that read its window without filling the page goes on from where it
      // stopped: the page may be short, even empty, and still not be the last.
      const next =
        rows.length > limit && last ? { ts: Number(last.ts), id: last.id } : continueAfter;
      return {
        events: page.map(toListedAuditEvent),
        nextCursor: next ? encodeCursor(next) : null,
      };
    },

    async event(id: number) {
      const row = await auditEventById(db, id);
      if (!row) throw new DomainError('NOT_FOUND', `There is no audit event ${id}.`);
      return toAuditEvent(row);
    },
  };
}
