import type { AuditEventType } from '../../shared/audit-events';
import type { Clock } from '../clock';
import { insertAuditEvent, latestAuditHash } from '../store/audit.store';
import type { Db } from '../store/schema';
import { canonicalJson, chainHash, GENESIS_HASH, type ChainedContent } from './audit-chain';
import type { ClientInfo } from './client-info';

export interface AuditRecord {
  type: AuditEventType;
  userId: string | null;
  email: string | null;
  client: ClientInfo;
  method?: 'totp' | 'backup_code' | null;
  details?: Record<string, unknown>;
}

export interface AuditService {
  /**
   * Appends one event to the chain. Must run inside the caller's write transaction, so the event
   * commits or rolls back with the change it records.
   */
  append(trx: Db, record: AuditRecord): Promise<number>;
}

export function createAuditService(deps: { clock: Clock }): AuditService {
  return {
    async append(trx, record) {
      const content: ChainedContent = {
        type: record.type,
        ts: deps.clock.now(),
        userId: record.userId,
        email: record.email,
        ip: record.client.ip,
        userAgent: record.client.userAgent,
        method: record.method ?? null,
        details: canonicalJson(record.details ?? {}),
        source: null,
      };
      const prevHash = (await latestAuditHash(trx)) ?? GENESIS_HASH;
      return insertAuditEvent(trx, {
        type: content.type,
        ts: content.ts,
        user_id: content.userId,
        email: content.email,
        ip: content.ip,
        user_agent: content.userAgent,
        method: content.method,
        details: content.details,
        source: content.source,
        prev_hash: prevHash,
        hash: chainHash(prevHash, content),
      });
    },
  };
}
