import { trustedNetworksSchema, type TrustedNetworksSettings } from '../../shared/contract';
import type { AuditService } from '../audit/audit.service';
import type { ClientInfo } from '../client-info';
import { fieldError } from '../domain-error';
import { getMeta, setMeta } from '../store/meta.store';
import type { Db } from '../store/schema';
import { writeTransaction } from '../store/transaction';
import { defaultTrustedNetworks, normalizedEntry } from './trusted-networks';

const KEY = 'trusted_networks';
/** As the contract's list allows. */
const MAX_NETWORKS = 1000;

type Actor = { id: string; email: string };
type Entry = TrustedNetworksSettings['networks'][number];

export interface TrustedNetworksService {
  get(): Promise<TrustedNetworksSettings>;
  /** Replaces the list and the share (INVALID_INPUT naming `networks.N.value` for a bad one). */
  update(
    settings: TrustedNetworksSettings,
    actor: Actor,
    client: ClientInfo,
  ): Promise<TrustedNetworksSettings>;
  /** Adds one entry unless it is listed already (a finding's "Trust network"). */
  trust(entry: Entry, actor: Actor, client: ClientInfo): Promise<TrustedNetworksSettings>;
}

/** Each entry normalized, the same network listed twice kept once (its first label). */
function normalized(networks: readonly Entry[], field: (i: number) => string): Entry[] {
  const seen = new Set<string>();
  const out: Entry[] = [];
  networks.forEach((entry, i) => {
    const value = normalizedEntry(entry.value);
    if (value === null)
      throw fieldError(
        field(i),
        'Enter a CIDR block (203.0.113.0/24), an address, or an AS number (AS13335)',
      );
    if (seen.has(value)) return;
    seen.add(value);
    out.push({ value, label: entry.label.trim() });
  });
  return out;
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

  /** Saves `next(previous)` and records what changed, in one write transaction. */
  const change = (
    next: (previous: TrustedNetworksSettings) => TrustedNetworksSettings,
    actor: Actor,
    client: ClientInfo,
  ) =>
    writeTransaction(db, async (trx) => {
      const previous = await read(trx);
      const settings = next(previous);
      if (JSON.stringify(previous) === JSON.stringify(settings)) return settings;
      await setMeta(trx, KEY, JSON.stringify(settings));
      const before = new Set(previous.networks.map((n) => n.value));
      const after = new Set(settings.networks.map((n) => n.value));
      await audit.append(trx, {
        type: 'com.alaigned.audit.trusted_networks_changed',
        userId: actor.id,
        email: actor.email,
        client,
        details: {
          added: settings.networks.filter((n) => !before.has(n.value)),
          removed: previous.networks.filter((n) => !after.has(n.value)),
          ...(previous.ordinaryPercent !== settings.ordinaryPercent
            ? {
                ordinaryPercent: {
                  from: previous.ordinaryPercent,
                  to: settings.ordinaryPercent,
                },
              }
            : {}),
        },
      });
      return settings;
    });

  return {
    get: () => read(db),
    update(settings, actor, client) {
      const networks = normalized(settings.networks, (i) => `networks.${i}.value`);
      return change(() => ({ networks, ordinaryPercent: settings.ordinaryPercent }), actor, client);
    },
    trust(entry, actor, client) {
      const [added] = normalized([entry], () => 'value');
      return change(
        (previous) => {
          if (previous.networks.some((listed) => listed.value === added!.value)) return previous;
          if (previous.networks.length >= MAX_NETWORKS)
            throw fieldError('value', `At most ${MAX_NETWORKS} trusted networks: remove one first`);
          return { ...previous, networks: [...previous.networks, added!] };
        },
        actor,
        client,
      );
    },
  };
}
