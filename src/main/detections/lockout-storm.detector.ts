import { z } from 'zod';
import { ACCOUNT_LOCKED_TYPES } from '../../shared/audit-events';
import { eventsSummary, lockoutWindows } from '../store/volume-detections.store';
import {
  defineDetector,
  iso,
  mergeRanges,
  minutesBetween,
  MINUTE_MS,
  type DetectedFinding,
} from './detector';

/**
 * Several accounts locked out within minutes (too many failed passwords or codes): one user
 * locked out is a forgotten password; three at once is someone trying accounts until they lock,
 * or locking them on purpose.
 */
export default defineDetector({
  kind: 'lockout_storm',
  title: 'Lockout storm',
  description: 'Several accounts locked out within minutes of each other.',
  settings: z.object({
    minAccounts: z.number().int().min(2).max(100_000).default(3).meta({ title: 'Accounts locked' }),
    windowMinutes: z
      .number()
      .int()
      .min(1)
      .max(24 * 60)
      .default(5)
      .meta({ title: 'Within minutes' }),
  }),

  async detect({ db, range, settings }) {
    const windows = await lockoutWindows(
      db,
      range,
      settings.windowMinutes * MINUTE_MS,
      settings.minAccounts,
    );
    const findings: DetectedFinding[] = [];
    for (const span of mergeRanges(windows, 0)) {
      const spanRange = { sinceMs: span.firstTs, untilMs: span.lastTs + 1 };
      const who = await eventsSummary(db, spanRange, { events: 'lockouts' });
      const accounts = Math.max(who.emails.length, settings.minAccounts);
      findings.push({
        idParts: [span.firstTs],
        severity: accounts >= settings.minAccounts * 2 ? 'high' : 'medium',
        title: `${accounts} accounts locked out within minutes`,
        users: who.emails,
        ips: who.ips,
        start: iso(span.firstTs),
        end: iso(span.lastTs),
        count: who.count,
        why: `${accounts} accounts were locked out within ${minutesBetween(span.firstTs, span.lastTs)} (${who.count} lockouts), where ${settings.minAccounts} in ${settings.windowMinutes} minutes is already unusual.`,
        action:
          'Someone is trying accounts until they lock, or locking them out on purpose: look at the failures just before the lockouts for a common address, block it upstream, and unlock the users once they confirm who they are.',
        filter: {
          types: [...ACCOUNT_LOCKED_TYPES],
          since: iso(spanRange.sinceMs),
          until: iso(spanRange.untilMs),
        },
      });
    }
    return findings;
  },
});
