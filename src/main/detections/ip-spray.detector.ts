import { z } from 'zod';
import { VERIFY_FAILED } from '../../shared/audit-events';
import {
  addressBins,
  eventsSummary,
  type AddressBinRow,
  type BinScale,
} from '../store/volume-detections.store';
import {
  defineDetector,
  groupBy,
  iso,
  mergeRanges,
  minutesBetween,
  MINUTE_MS,
  type DetectedFinding,
} from './detector';

/**
 * Whether a bin reaches its address's mean + k standard deviations over all the address's
 * non-empty bins of its scale (population σ, so an address's one and only bin reaches it: a new
 * address). In integers as far as they go: n·x − Σ ≥ k·√(n·Σx² − Σ²) is x ≥ mean + kσ times n.
 */
export function reachesMeanPlus(bin: AddressBinRow, deviations: number) {
  const n = bin.bins;
  const above = n * bin.users - bin.usersSum;
  const spread = Math.max(0, n * bin.usersSquares - bin.usersSum * bin.usersSum);
  const mean = bin.usersSum / n;
  const sigma = Math.sqrt(spread) / n;
  return {
    reaches: above >= deviations * Math.sqrt(spread),
    mean,
    bound: mean + deviations * sigma,
    /** How many σ above the mean the bin is; null when every bin is alike (σ = 0). */
    sigmas: sigma > 0 ? (bin.users - mean) / sigma : null,
  };
}

/** Why a bin is unusual for its address, in words with the numbers. */
function usualOf(
  bin: AddressBinRow & ReturnType<typeof reachesMeanPlus>,
  minutes: number,
  deviations: number,
): string {
  if (bin.bins === 1) return 'from an address with no other such failures in the period looked at';
  const usual = `that address's usual ${round(bin.mean)} users per ${minutes} minutes over its ${bin.bins} periods with failures`;
  return bin.sigmas === null
    ? `as in each of that address's ${bin.bins} periods with failures: a steady ${round(bin.mean)} users per ${minutes} minutes`
    : `${round(bin.sigmas)}σ above ${usual} (at least ${deviations}σ: ${round(bin.bound)})`;
}

const round = (value: number) => Math.round(value * 10) / 10;

const minutes = (fallback: number, title: string) =>
  z
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(fallback)
    .meta({ title });

const users = (fallback: number, title: string) =>
  z.number().int().min(1).max(100_000).default(fallback).meta({ title });

/**
 * Splunk's statistical password-spray rule: one address failing for more than 10 distinct users
 * within 5 minutes, and at or above the mean + 3σ of that address's 5-minute periods over the
 * lookback, so a busy shared address (an office NAT, a VPN egress) is measured against its own
 * usual. The same test over hours finds a slow spray, paced under the 5-minute count (one try
 * per account per hour). Typos never count. Each scale has two grids of periods, the second
 * shifted by half, so a spray across a boundary is caught; what both scales find of one address
 * at once is one finding.
 */
export default defineDetector({
  kind: 'ip_spray',
  title: 'Password spray from one address',
  description:
    'One address failing for many users within minutes (or, slowly, within an hour), far above what that address usually does.',
  // One address's spray is also a network's spray (coordinated) and, where it tried one account
  // over and over, that user's failures: reported once, here.
  supersedes: ['coordinated', 'user_failures'],
  settings: z.object({
    users: users(10, 'More than this many users from one address'),
    windowMinutes: minutes(5, 'Within minutes'),
    slowUsers: users(10, 'Or, slowly, more than this many users'),
    slowWindowMinutes: minutes(60, 'Within minutes (slow spray)'),
    deviations: z
      .number()
      .min(0)
      .max(10)
      .default(3)
      .meta({ title: 'Standard deviations above the address’s usual' }),
  }),

  absorbs: ['new_country', 'new_network', 'novel_asn'],

  async detect({ db, range, settings }) {
    const scales = [
      { minutes: settings.windowMinutes, moreThan: settings.users },
      { minutes: settings.slowWindowMinutes, moreThan: settings.slowUsers },
    ];
    const grids: BinScale[] = scales.flatMap(({ minutes: m, moreThan }) => [
      { binMs: m * MINUTE_MS, offsetMs: 0, moreThanUsers: moreThan },
      { binMs: m * MINUTE_MS, offsetMs: (m * MINUTE_MS) / 2, moreThanUsers: moreThan },
    ]);
    // Grid i is of scale ⌊i/2⌋.
    const scaleOf = (bin: AddressBinRow) => scales[Math.floor(bin.scale / 2)]!;
    const bins = await addressBins(db, range, grids);
    const findings: DetectedFinding[] = [];
    for (const [ipKey, ofAddress] of groupBy(bins, (bin) => bin.ipKey)) {
      const unusual = ofAddress
        .map((bin) => ({ ...bin, ...reachesMeanPlus(bin, settings.deviations) }))
        .filter((bin) => bin.reaches);
      // Periods less than a period apart are one spray (a slow one leaves minutes between the
      // busy periods of one grid): merged on each period's reach, then cut to its last failure.
      const reach = (b: AddressBinRow) => b.lastTs + scaleOf(b).minutes * MINUTE_MS;
      const reaches = unusual.map((b) => ({ firstTs: b.firstTs, lastTs: reach(b) }));
      for (const merged of mergeRanges(reaches, 0)) {
        const inSpan = unusual.filter(
          (b) => b.firstTs >= merged.firstTs && reach(b) <= merged.lastTs,
        );
        const span = { firstTs: merged.firstTs, lastTs: Math.max(...inSpan.map((b) => b.lastTs)) };
        // The short scale's busiest bin explains it when it fired; else the slow one's.
        const fast = inSpan.filter((b) => b.scale < 2);
        const busiest = (fast.length > 0 ? fast : inSpan).reduce((a, b) =>
          b.users > a.users ? b : a,
        );
        const scale = scaleOf(busiest);
        const spanRange = { sinceMs: span.firstTs, untilMs: span.lastTs + 1 };
        const who = await eventsSummary(db, spanRange, { events: 'unresolved_failures', ipKey });
        const ip = busiest.ip;
        findings.push({
          idParts: [ipKey, span.firstTs],
          severity: who.emails.length > scale.moreThan * 2 ? 'high' : 'medium',
          title: `${who.emails.length} users failed from one address, ${ip}`,
          users: who.emails,
          ips: who.ips,
          start: iso(span.firstTs),
          end: iso(span.lastTs),
          count: who.count,
          why: `${who.emails.length} users failed to verify from ${ip} within ${minutesBetween(span.firstTs, span.lastTs)}, up to ${busiest.users} in ${scale.minutes} minutes (more than ${scale.moreThan}), ${usualOf(busiest, scale.minutes, settings.deviations)}.`,
          action:
            'One address trying many accounts is password spraying, and a failed code means the password was right: have these users change their passwords, block the address upstream, and check for successes from it.',
          filter: {
            types: [VERIFY_FAILED],
            unresolved: true,
            ip,
            since: iso(spanRange.sinceMs),
            until: iso(spanRange.untilMs),
          },
        });
      }
    }
    return findings;
  },
});
