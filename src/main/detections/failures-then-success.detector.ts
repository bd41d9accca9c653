import { z } from 'zod';
import {
  failuresThenSuccess,
  locatedVerificationsOf,
  userFamiliarity,
} from '../store/location-detections.store';
import { DAY_MS, defineDetector, iso, MINUTE_MS, minutesBetween } from './detector';
import { countryName, placeOf, verificationsFilter } from './location-wording';

/**
 * Elastic's "repeated MFA failures then success" and Sentinel's "brute force then success": at
 * least 3 wrong codes in a row then the right one, all within 20 minutes. The guessing may have
 * worked. One or two wrong codes then the right one are typos and stay ordinary.
 */
export default defineDetector({
  kind: 'failures_then_success',
  title: 'Failures, then a success',
  description:
    'A run of failed verifications ended by a success for the same user within minutes: the guessing may have worked. High when the success came from a network or country the user had not succeeded from in the lookback.',
  settings: z.object({
    minFailures: z
      .number()
      .int()
      .min(2)
      .max(100)
      .default(3)
      .meta({ title: 'Failures before the success' }),
    windowMinutes: z
      .number()
      .int()
      .min(1)
      .max(24 * 60)
      .default(20)
      .meta({ title: 'Within minutes' }),
    lookbackDays: z.number().int().min(7).max(365).default(90).meta({ title: 'New for days' }),
  }),

  absorbs: ['new_country', 'new_network', 'novel_asn', 'user_failures'],

  async detect({ db, range, settings, trusted }) {
    const windowMs = settings.windowMinutes * MINUTE_MS;
    const lookbackMs = settings.lookbackDays * DAY_MS;
    const hits = await failuresThenSuccess(db, range, settings.minFailures, windowMs);
    const findings = [];
    for (const hit of hits) {
      // The run and its success (no success between them: the query saw to that).
      const events = await locatedVerificationsOf(
        db,
        hit.user_id,
        hit.first_failure_ts,
        hit.success_ts,
      );
      const success = events.findLast((e) => e.success && e.ts === hit.success_ts);
      if (!success) continue;
      const run = events.filter((e) => e.ts <= success.ts && (e === success || !e.success));
      const failures = run.length - 1;
      const seen = await userFamiliarity(
        db,
        hit.user_id,
        { network: success.network, country: success.country },
        success.ts - lookbackMs,
        success.ts,
        success.ts,
      );
      const isTrusted = trusted.isTrusted(success.ip, success.asn);
      // New is only said of a user with earlier successes to compare with.
      const judged = seen.baseline && !isTrusted;
      const newNetwork = judged && !success.internal && !!success.network && !seen.network;
      const newCountry = judged && !!success.country && !seen.country;
      const email = success.email ?? hit.user_id;
      const novelty = newCountry
        ? `, the success from ${placeOf(success)}, never seen for this user`
        : newNetwork
          ? `, the success from ${success.network}${success.country ? ` in ${countryName(success.country)}` : ''}, a network new for this user`
          : isTrusted
            ? ', the success from a trusted network'
            : seen.baseline
              ? ', the success from a network this user knows'
              : ', the user’s first success in the lookback';
      findings.push({
        idParts: [hit.user_id, hit.success_ts],
        severity: newNetwork || newCountry ? ('high' as const) : ('medium' as const),
        title: `${email}: ${failures} failed codes, then a success`,
        users: [email],
        ips: [...new Set(run.map((e) => e.ip).filter((ip): ip is string => Boolean(ip)))].sort(),
        start: iso(run[0]!.ts),
        end: iso(success.ts),
        count: run.length,
        why: `${failures} failed codes then a success within ${minutesBetween(run[0]!.ts, success.ts)}${novelty}.`,
        action:
          newNetwork || newCountry
            ? 'Treat the account as taken over: reset its 2FA, have the user set a new password, and ask them whether they signed in.'
            : 'Ask the user whether those attempts were theirs; if not, reset their 2FA and have them set a new password.',
        remedies: ['reset_two_factor' as const],
        filter: verificationsFilter(run, { userId: hit.user_id }),
      });
    }
    return findings;
  },
});
