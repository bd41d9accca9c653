import { z } from 'zod';
import { failuresOf, failureWindows, successesAround } from '../store/detections.store';
import { TYPO_GRACE_MS } from '../store/sql-fragments';
import { VERIFY_FAILED } from '../../shared/audit-events';
import {
  defineDetector,
  distinctSorted,
  iso,
  minutesBetween,
  MINUTE_MS,
  type DetectedFinding,
} from './detector';

/**
 * The guide's "multiple failed attempts from the same user": by default 5 failures within an
 * hour with no success between. One finding per run of failures between two successes.
 */
export default defineDetector({
  kind: 'user_failures',
  title: 'Many failures for one user',
  description: 'Failed verifications in a row for one user, with no success between them.',
  settings: z.object({
    minFailures: z.number().int().min(2).max(1000).default(5).meta({ title: 'Failures in a row' }),
    windowMinutes: z
      .number()
      .int()
      .min(1)
      .max(24 * 60)
      .default(60)
      .meta({ title: 'Within minutes' }),
  }),

  absorbs: ['new_country', 'new_network', 'novel_asn'],

  async detect({ db, range, settings }) {
    const windows = await failureWindows(
      db,
      range,
      settings.minFailures,
      settings.windowMinutes * MINUTE_MS,
    );
    // Windows of one run (between the same two successes) are one finding: the whole run.
    const runs = new Map<
      string,
      { userId: string; from: number; to: number; nextSuccess: number | null }
    >();
    for (const window of windows) {
      const around = await successesAround(
        db,
        window.user_id,
        window.window_start,
        window.window_end,
      );
      const from = Math.max(range.sinceMs, (around.before ?? -1) + 1);
      const to = Math.min(range.untilMs, around.after ?? range.untilMs);
      runs.set(`${window.user_id}\u0000${from}`, {
        userId: window.user_id,
        from,
        to,
        nextSuccess: around.after,
      });
    }
    const findings: DetectedFinding[] = [];
    for (const run of runs.values()) {
      const failures = await failuresOf(db, run.userId, { sinceMs: run.from, untilMs: run.to });
      const first = failures[0];
      const last = failures.at(-1);
      if (!first || !last) continue;
      const email = failures.find((f) => f.email)?.email ?? null;
      const ips = distinctSorted(failures.map((f) => f.ip));
      findings.push({
        idParts: [run.userId, first.ts],
        severity:
          failures.length >= settings.minFailures * 3 || ips.length >= 3 ? 'high' : 'medium',
        title: `${failures.length} failed attempts in a row for ${email ?? run.userId}`,
        users: email ? [email] : [],
        ips,
        start: iso(first.ts),
        end: iso(last.ts),
        count: failures.length,
        why: `${failures.length} failed codes in a row within ${minutesBetween(first.ts, last.ts)} from ${ips.length === 1 ? 'one address' : `${ips.length} addresses`}, with no success between them.`,
        action:
          'Ask the user whether they were signing in; if not, their password is known: have them change it, and reset their 2FA if the failures go on.',
        remedies: ['reset_two_factor'],
        filter: {
          types: [VERIFY_FAILED],
          // Said when true (no success followed within the typo grace): the same events, and a
          // spray counting only such failures can then tell they are among its own.
          ...(run.nextSuccess === null || run.nextSuccess > last.ts + TYPO_GRACE_MS
            ? { unresolved: true }
            : {}),
          userId: run.userId,
          since: iso(first.ts),
          until: iso(last.ts + 1),
        },
      });
    }
    return findings;
  },
});
