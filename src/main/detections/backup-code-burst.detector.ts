import { z } from 'zod';
import { VERIFY_SUCCESS } from '../../shared/audit-events';
import { backupCodeWindows, eventsSummary } from '../store/volume-detections.store';
import {
  defineDetector,
  groupBy,
  iso,
  mergeRanges,
  HOUR_MS,
  type DetectedFinding,
} from './detector';

/**
 * One user signing in with several backup codes within a day: a user who lost their phone
 * spends one or two, then sets up a new one; more is someone holding a printout of the codes.
 */
export default defineDetector({
  kind: 'backup_code_burst',
  title: 'Backup codes spent in a burst',
  description: 'One user signing in with several backup codes within hours.',
  settings: z.object({
    minCodes: z.number().int().min(2).max(10).default(3).meta({ title: 'Backup codes spent' }),
    windowHours: z
      .number()
      .int()
      .min(1)
      .max(30 * 24)
      .default(24)
      .meta({ title: 'Within hours' }),
  }),

  async detect({ db, range, settings }) {
    const windows = await backupCodeWindows(
      db,
      range,
      settings.minCodes,
      settings.windowHours * HOUR_MS,
    );
    const findings: DetectedFinding[] = [];
    for (const [userId, ofUser] of groupBy(windows, (w) => w.userId)) {
      for (const span of mergeRanges(ofUser, 0)) {
        const spanRange = { sinceMs: span.firstTs, untilMs: span.lastTs + 1 };
        const who = await eventsSummary(db, spanRange, { events: 'backup_code_sign_ins', userId });
        const user = who.emails[0] ?? userId;
        const hours = Math.max(1, Math.round((span.lastTs - span.firstTs) / HOUR_MS));
        findings.push({
          idParts: [userId, span.firstTs],
          severity: who.count >= settings.minCodes * 2 || who.ips.length > 1 ? 'high' : 'medium',
          title: `${who.count} backup codes spent by ${user}`,
          users: who.emails,
          ips: who.ips,
          start: iso(span.firstTs),
          end: iso(span.lastTs),
          count: who.count,
          why: `${user} signed in with ${who.count} backup codes within ${hours === 1 ? 'an hour' : `${hours} hours`} from ${who.ips.length === 1 ? 'one address' : `${who.ips.length} addresses`}, where ${settings.minCodes} in ${settings.windowHours} hours is already unusual.`,
          action:
            'Ask the user whether they lost their authenticator; if not, someone holds their backup codes: reset their 2FA so they enroll again with fresh codes, and have them change their password.',
          remedies: ['reset_two_factor'],
          filter: {
            types: [VERIFY_SUCCESS],
            userId,
            method: 'backup_code',
            since: iso(spanRange.sinceMs),
            until: iso(spanRange.untilMs),
          },
        });
      }
    }
    return findings;
  },
});
