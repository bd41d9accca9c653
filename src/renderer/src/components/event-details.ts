import { EVENT_NAME_PREFIX } from '../../../shared/audit-events';
import type { AuditEvent } from '../../../shared/contract';

/** An event name as lists show it: without the namespace every name shares. */
export function shortEventType(type: string): string {
  return type.startsWith(EVENT_NAME_PREFIX) ? type.slice(EVENT_NAME_PREFIX.length) : type;
}

/**
 * An event's details on one line, for a table cell: `key: value` pairs, or, when the list cut
 * them (a stored value larger than the caps), their size and the start of their JSON text.
 */
export function detailsSummary(event: AuditEvent): string {
  const cut = event.truncated?.details;
  if (cut) return `[cut: ${cut.bytes.toLocaleString()} bytes] ${cut.preview}`;
  return Object.entries(event.details)
    .map(
      ([key, value]) =>
        `${key}: ${typeof value === 'object' ? JSON.stringify(value) : String(value)}`,
    )
    .join(' · ');
}
