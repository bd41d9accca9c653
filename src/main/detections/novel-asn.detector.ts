import { z } from 'zod';
import {
  firstSuccessTs,
  novelAsns,
  verificationsFromAsn,
} from '../store/location-detections.store';
import {
  DAY_MS,
  defineDetector,
  distinctSorted,
  groupBy,
  iso,
  type DetectedFinding,
} from './detector';
import { countryName, plural, verificationsFilter } from './location-wording';

/**
 * Duo Trust Monitor's "novel ASN": verifications from an autonomous system (network operator)
 * that none of the org's successful verifications came from over the lookback. Org-wide, not per
 * user: one finding per system, with everyone who verified from it until the org first
 * succeeded from it (after that it is no longer novel). Trusted networks and internal addresses
 * never make one; nor does the org's own first fortnight, when every system is new.
 */
export default defineDetector({
  kind: 'novel_asn',
  title: 'Novel network operator',
  description:
    'Verifications from an autonomous system none of the org’s successful verifications came from in the lookback.',
  settings: z.object({
    lookbackDays: z.number().int().min(7).max(365).default(90).meta({ title: 'Unseen for days' }),
    baselineDays: z
      .number()
      .int()
      .min(0)
      .max(90)
      .default(14)
      .meta({ title: 'Org history needed (days)' }),
  }),

  async detect({ db, range, settings, trusted }) {
    const orgStart = await firstSuccessTs(db);
    if (orgStart === null) return [];
    const lookbackMs = settings.lookbackDays * DAY_MS;
    const rows = await novelAsns(db, range, lookbackMs);
    const findings: DetectedFinding[] = [];
    for (const group of groupBy(rows, (r) => String(r.asn)).values()) {
      const { asn, first_ts: firstTs } = group[0]!;
      if (firstTs - orgStart < settings.baselineDays * DAY_MS) continue;
      const all = await verificationsFromAsn(
        db,
        asn,
        group.map((r) => r.network),
        firstTs,
        range.untilMs,
      );
      const events = [];
      for (const event of all) {
        if (event.internal || trusted.isTrusted(event.ip, event.asn)) continue;
        events.push(event);
        // From its first success on, the org knows the system.
        if (event.success) break;
      }
      if (events.length === 0) continue;
      const failures = events.filter((e) => !e.success).length;
      const users = distinctSorted(events.map((e) => e.email ?? e.user_id));
      const countries = distinctSorted(events.map((e) => e.country));
      const where = countries.length > 0 ? ` (${countries.map(countryName).join(', ')})` : '';
      const succeeded = failures < events.length;
      findings.push({
        idParts: [asn, events[0]!.ts],
        // A success: someone got in from where the org has never been (travel, or a takeover).
        // Only failures achieved nothing, and the failure detectors judge the attempts.
        severity: succeeded ? 'medium' : 'low',
        title: `${plural(users.length, 'user')} verified from AS${asn}${where}, new to the org`,
        users,
        ips: distinctSorted(events.map((e) => e.ip)),
        countries,
        asns: [asn],
        start: iso(events[0]!.ts),
        end: iso(events.at(-1)!.ts),
        count: events.length,
        why: `${plural(events.length, 'verification')} (${failures} failed) by ${plural(users.length, 'user')} from AS${asn}${where}, an autonomous system none of the org's successful verifications came from in ${settings.lookbackDays} days.`,
        action: succeeded
          ? 'Ask the users whether they signed in from there (travel, a new provider); if not, reset their 2FA. If the network is yours, add it to trusted.'
          : 'Nobody got in from there. If the attempts continue, have the users set new passwords; if the network is yours, add it to trusted.',
        remedies:
          succeeded && users.length === 1
            ? ['reset_two_factor', 'trust_network']
            : ['trust_network'],
        filter: verificationsFilter(
          events,
          users.length === 1 ? { userId: events[0]!.user_id } : {},
        ),
      });
    }
    return findings;
  },
});
