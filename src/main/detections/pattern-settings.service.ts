import type { PatternSettings } from '../../shared/contract';
import { getMeta, setMeta } from '../store/meta.store';
import type { Db } from '../store/schema';
import { writeTransaction } from '../store/transaction';
import type { AuditService } from '../audit/audit.service';
import type { ClientInfo } from '../client-info';
import { defaultPatternSettings, parsePatternSettings, readPatternSettings } from './registry';

const KEY = 'pattern_settings';

export interface PatternSettingsService {
  get(): Promise<PatternSettings>;
  /** Saves every detector's thresholds (INVALID_INPUT naming the fields a detector refuses). */
  update(
    settings: PatternSettings,
    actor: { id: string; email: string },
    client: ClientInfo,
  ): Promise<PatternSettings>;
}

export function createPatternSettingsService(deps: {
  db: Db;
  audit: AuditService;
}): PatternSettingsService {
  const { db, audit } = deps;
  async function read(trx: Db): Promise<PatternSettings> {
    const stored = await getMeta(trx, KEY);
    return stored ? readPatternSettings(JSON.parse(stored)) : defaultPatternSettings;
  }
  return {
    get: () => read(db),
    update: (input, actor, client) => {
      const settings = parsePatternSettings(input);
      return writeTransaction(db, async (trx) => {
        const previous = await read(trx);
        if (JSON.stringify(previous) === JSON.stringify(settings)) return settings;
        await setMeta(trx, KEY, JSON.stringify(settings));
        await audit.append(trx, {
          type: 'com.alaigned.audit.pattern_settings_changed',
          userId: actor.id,
          email: actor.email,
          client,
          details: { from: previous, to: settings },
        });
        return settings;
      });
    },
  };
}
