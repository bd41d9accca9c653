import { z } from 'zod';
import { addressesOf, countVerifications, newNetworks } from '../store/detections.store';
import { locationsOf } from '../store/ip-locations.store';
import { VERIFY_FAILED, VERIFY_SUCCESS } from '../../shared/audit-events';
import {
  DAY_MS,
  baselineSettings,
  defineDetector,
  groupBy,
  iso,
  type DetectedFinding,
} from './detector';

/**
 * The guide's "unusual locations": verifications from a /24 (IPv4) or /48 (IPv6) a user has
 * not verified from for 90 days, once they have a baseline (3 sign-in days over a week).
 */
export default defineDetector({
  kind: 'new_network',
  title: 'Unusual location',
  description: 'Verifications from a network an established user has not verified from lately.',
  settings: z.object({
    lookbackDays: z.number().int().min(7).max(365).default(90).meta({ title: 'Unseen for days' }),
    ...baselineSettings,
  }),

  absorbs: ['novel_asn'],

  async detect({ db, range, settings, trusted }) {
    const rows = await newNetworks(db, range, {
      lookbackMs: settings.lookbackDays * DAY_MS,
      baselineDays: settings.baselineDays,
      baselineSpanMs: settings.baselineSpanDays * DAY_MS,
    });
    // One finding per network: an attacker's network is new to every account it tries at once.
    const findings: DetectedFinding[] = [];
    for (const [network, group] of groupBy(rows, (row) => row.network)) {
      const first = Math.min(...group.map((r) => r.first_ts));
      const events = group.reduce((n, r) => n + r.events, 0);
      const failures = group.reduce((n, r) => n + r.failures, 0);
      const emails = group.map((r) => r.email ?? r.user_id).sort();
      const single = group.length === 1 ? group[0]! : null;
      const eventsRange = { sinceMs: first, untilMs: range.untilMs };
      const ips = await addressesOf(
        db,
        group.map((r) => r.user_id),
        network,
        eventsRange,
      );
      // The org's own networks (office, VPN egress) and internal ranges (a carrier's private APN
      // for company phones hands out a new CGNAT /24 almost every time) are new to someone every
      // day: not a finding. Only an unusual place on the Internet is.
      const located = await locationsOf(db, ips);
      const ordinary = (ip: string) => {
        const where = located.get(ip);
        return where?.internal === true || trusted.isTrusted(ip, where?.asn ?? null);
      };
      if (ips.length > 0 && ips.every(ordinary)) continue;
      findings.push({
        idParts: [network, single?.user_id ?? 'many', first],
        // Only failures from the new network: someone without the code. Any success: the
        // person themselves, travelling; worth a look, not an alarm.
        severity: failures === events ? 'high' : 'low',
        title: single
          ? `${emails[0]} verified from a network never seen for them: ${network}`
          : `${emails.length} users verified from a network new to each of them: ${network}`,
        users: emails,
        ips,
        start: iso(first),
        end: iso(Math.max(...group.map((r) => r.last_ts))),
        count: single ? events : await countVerifications(db, eventsRange, network),
        why: single
          ? `${events} verification${events === 1 ? '' : 's'} (${failures} failed) from ${network}, a network ${emails[0]} has not verified from in ${settings.lookbackDays} days.`
          : `${emails.length} users verified from ${network} (${failures} of ${events} verifications failed), a network none of them used in ${settings.lookbackDays} days.`,
        action:
          failures === events
            ? 'Only failures: someone without the code is trying. Ask the users, have them change their passwords, or add the network to trusted if it is yours.'
            : 'A success from a new network is often travel: ask the user; if the network is your office or VPN, add it to trusted.',
        remedies: single ? ['reset_two_factor', 'trust_network'] : ['trust_network'],
        filter: {
          types: [VERIFY_SUCCESS, VERIFY_FAILED],
          ...(single ? { userId: single.user_id } : {}),
          ip: network,
          since: iso(first),
          until: iso(range.untilMs),
        },
      });
    }
    return findings;
  },
});
