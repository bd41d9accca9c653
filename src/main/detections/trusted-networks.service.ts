import type { TrustedNetworksSettings } from '../../shared/contract';
import { trustedNetworksSchema } from '../../shared/contract';
import type { AuditService } from '../audit/audit.service';
import type { ClientInfo } from '../client-info';
import { getMeta, setMeta } from '../store/meta.store';
import type { Db } from '../store/schema';
import { writeTransaction } from '../store/transaction';
import { defaultTrustedNetworks, sameEntry } from './trusted-networks';

const KEY = 'trusted_networks';

export interface TrustedNetworksService {
  get(): Promise<TrustedNetworksSettings>;
  update(
    settings: TrustedNetworksSettings,
    actor: { id: string; email: string },
    client: ClientInfo,
  ): Promise<TrustedNetworksSettings>;
  /** Adds one entry unless it is listed already (a finding's "Trust network"). */
  trust(
    entry: { value: string; label: string },
    actor: { id: string; email: string },
    client: ClientInfo,
  ): Promise<TrustedNetworksSettings>;
}

export function createTrustedNetworksService(deps: {
  db: Db;
  audit: AuditService;
}): TrustedNetworksService {
  const { db, audit } = deps;
  async function read(trx: Db): Promise<TrustedNetworksSettings> {
    const stored = await getMeta(trx, KEY);
    if (!stored) return defaultTrustedNetworks;
    const parsed = trustedNetworksSchema.safeParse(JSON.parse(stored));
    return parsed.success ? parsed.data : defaultTrustedNetworks;
  }
  /** Saves `next(previous)` and audits the change, in one write transaction. */
  const change = (
    next: (previous: TrustedNetworksSettings) => TrustedNetworksSettings,
    actor: { id: string; email: string },
    client: ClientInfo,
  ) =>
    writeTransaction(db, async (trx) => {
      const previous = await read(trx);
      const settings = next(previous);
      if (JSON.stringify(previous) === JSON.stringify(settings)) return settings;
      await setMeta(trx, KEY, JSON.stringify(settings));
      await audit.append(trx, {
        type: 'com.alaigned.audit.trusted_networks_changed',
        userId: actor.id,
        email: actor.email,
        client,
        details: { from: previous, to: settings },
      });
      return settings;
    });
  return {
    get: () => read(db),
    update: (settings, actor, client) => change(() => settings, actor, client),
    trust: (entry, actor, client) =>
      change(
        (previous) =>
          previous.networks.some((listed) => sameEntry(listed.value, entry.value))
            ? previous
            : { ...previous, networks: [...previous.networks, entry] },
        actor,
        client,
      ),
  };
}
