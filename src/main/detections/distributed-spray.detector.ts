import { z } from 'zod';
import { VERIFY_FAILED } from '../../shared/audit-events';
import { eventsSummary, spreadBins } from '../store/volume-detections.store';
import {
  defineDetector,
  iso,
  mergeRanges,
  minutesBetween,
  MINUTE_MS,
  type DetectedFinding,
} from './detector';

const count = (fallback: number, title: string) =>
  z.number().int().min(1).max(100_000).default(fallback).meta({ title });

/**
 * Splunk's O365 distributed password-spray rule: within 5 minutes, more than 20 distinct users,
 * more than 20 distinct addresses and more than 20 distinct user-address pairs failing, a spray
 * spread over a botnet or proxies so no one address stands out. Typos never count. Two grids of
 * periods, the second shifted by half, catch a spray across a boundary.
 */
export default defineDetector({
  kind: 'distributed_spray',
  title: 'Password spray from many addresses',
  description: 'Many users failing from many different addresses within minutes.',
  // The same failures are coordinated's burst, and any user tried over and over among them is
  // user_failures' finding: reported once, here.
  supersedes: ['coordinated', 'user_failures'],
  settings: z.object({
    users: count(20, 'More than this many users'),
    addresses: count(20, 'From more than this many addresses'),
    pairs: count(20, 'In more than this many user-address pairs'),
    windowMinutes: z
      .number()
      .int()
      .min(1)
      .max(24 * 60)
      .default(5)
      .meta({ title: 'Within minutes' }),
  }),

  absorbs: ['new_country', 'new_network', 'novel_asn'],

  async detect({ db, range, settings }) {
    const windowMs = settings.windowMinutes * MINUTE_MS;
    const bins = await spreadBins(db, range, windowMs, [0, windowMs / 2], {
      moreThanUsers: settings.users,
      moreThanAddresses: settings.addresses,
      moreThanPairs: settings.pairs,
    });
    const findings: DetectedFinding[] = [];
    for (const span of mergeRanges(bins, 0)) {
      const inSpan = bins.filter((b) => b.firstTs >= span.firstTs && b.lastTs <= span.lastTs);
      const busiest = inSpan.reduce((a, b) => (b.pairs > a.pairs ? b : a));
      const spanRange = { sinceMs: span.firstTs, untilMs: span.lastTs + 1 };
      const who = await eventsSummary(db, spanRange, { events: 'unresolved_failures' });
      findings.push({
        idParts: [span.firstTs],
        severity: who.emails.length > settings.users * 2 ? 'high' : 'medium',
        title: `${who.emails.length} users failed from ${who.ips.length} addresses within minutes`,
        users: who.emails,
        ips: who.ips,
        start: iso(span.firstTs),
        end: iso(span.lastTs),
        count: who.count,
        why: `${who.emails.length} users failed to verify from ${who.ips.length} addresses within ${minutesBetween(span.firstTs, span.lastTs)}, up to ${busiest.users} users, ${busiest.addresses} addresses and ${busiest.pairs} user-address pairs in ${settings.windowMinutes} minutes (more than ${settings.users}, ${settings.addresses} and ${settings.pairs}).`,
        action:
          'A password spray spread over many addresses (a botnet or proxies), so blocking one will not stop it: have these users change their passwords, check whether the passwords leaked together, and look for successes in the same minutes.',
        filter: {
          types: [VERIFY_FAILED],
          unresolved: true,
          since: iso(spanRange.sinceMs),
          until: iso(spanRange.untilMs),
        },
      });
    }
    return findings;
  },
});
