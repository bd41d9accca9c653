import { z } from 'zod';
import { VERIFY_SUCCESS } from '../../shared/audit-events';
import { areAdjacent } from '../geo/country-adjacency';
import { greatCircleKm, KM_PER_DEGREE } from '../geo/great-circle';
import { travelCandidates, type LocatedVerification } from '../store/location-detections.store';
import {
  DAY_MS,
  defineDetector,
  groupBy,
  iso,
  MINUTE_MS,
  minutesBetween,
  type DetectedFinding,
} from './detector';
import { countryName, placeOf, plural } from './location-wording';

const HOUR_MS = 60 * MINUTE_MS;

/**
 * Entra's and Duo's impossible travel: two successful verifications of one user from places
 * farther apart than anyone travels in the time between them. Successes only: a failure proves
 * nobody was there with the code (an attacker abroad failing while the user works at home is
 * new_country's and the failure detectors' case); two successes mean the second factor worked in
 * both places, which is the claim this finding makes. With coordinates: faster than 900 km/h
 * over at least 500 km (closer pairs are within a city database's error). With a country-only
 * database: two countries that share no land border within 15 minutes (Elastic's hunting rule).
 */
export default defineDetector({
  kind: 'impossible_travel',
  title: 'Impossible travel',
  description:
    'Two successful verifications of one user from places too far apart for the time between them: faster than the speed limit over at least the minimum distance when the geo data has coordinates, or two countries without a common border within minutes when it has only countries.',
  settings: z.object({
    maxSpeedKmh: z
      .number()
      .int()
      .min(100)
      .max(5000)
      .default(900)
      .meta({ title: 'Faster than (km/h)' }),
    minDistanceKm: z
      .number()
      .int()
      .min(0)
      .max(5000)
      .default(500)
      .meta({ title: 'Ignore pairs closer than (km)' }),
    countryWindowMinutes: z
      .number()
      .int()
      .min(1)
      .max(24 * 60)
      .default(15)
      .meta({ title: 'Countries only: non-neighbours within minutes' }),
    lookbackDays: z
      .number()
      .int()
      .min(1)
      .max(365)
      .default(90)
      .meta({ title: 'Routine places: seen within days' }),
  }),

  absorbs: ['new_country', 'new_network', 'novel_asn'],

  async detect({ db, range, settings, trusted }) {
    // Two places within this many degrees on both axes are less than minDistanceKm apart.
    const spanDegrees = settings.minDistanceKm / KM_PER_DEGREE / Math.SQRT2;
    const rows = await travelCandidates(db, range, spanDegrees, settings.lookbackDays * DAY_MS);
    const findings: DetectedFinding[] = [];
    for (const events of groupBy(rows, (r) => r.user_id).values()) {
      // A trusted network (the org's VPN egress) says nothing about where the person is.
      const located = events.filter((e) => !trusted.isTrusted(e.ip, e.asn));
      const hops = travelHops(located, settings).filter((hop) => hop.to.ts >= range.sinceMs);
      for (const trip of chainedHops(hops)) {
        const first = trip[0]!;
        const last = trip.at(-1)!;
        const fastest = trip.reduce((a, b) => (rank(b) > rank(a) ? b : a));
        const email = first.from.email ?? first.from.user_id;
        const endpoints = [...new Set(trip.flatMap((h) => [h.from, h.to]))];
        findings.push({
          idParts: [first.from.user_id, first.from.ts, last.to.ts],
          // Measured speed: a strong signal. Countries alone are coarser (Elastic calls the rule
          // a hunting rule): worth a look, not an alarm.
          severity: fastest.rule === 'speed' ? 'high' : 'medium',
          title: `${email} verified from ${placeOf(fastest.from)} and ${placeOf(fastest.to)} too close in time`,
          users: [email],
          ips: [...new Set(endpoints.map((e) => e.ip).filter((ip): ip is string => !!ip))].sort(),
          start: iso(first.from.ts),
          end: iso(last.to.ts),
          count: endpoints.length,
          why: `${hopWords(fastest, settings)}${trip.length > 1 ? ` (${plural(trip.length - 1, 'more such hop')})` : ''}.`,
          action:
            'Ask the user whether both sign-ins were theirs; if not, reset their 2FA and have them set a new password. A VPN or proxy at one end explains it too: add that network to trusted.',
          remedies: ['reset_two_factor', 'trust_network'],
          filter: {
            types: [VERIFY_SUCCESS],
            userId: first.from.user_id,
            since: iso(first.from.ts),
            until: iso(last.to.ts + 1),
          },
        });
      }
    }
    return findings;
  },
});

interface Hop {
  from: LocatedVerification;
  to: LocatedVerification;
  rule: 'speed' | 'countries';
  km: number | null;
  kmh: number | null;
}

const rank = (hop: Hop) => (hop.rule === 'speed' ? 1e12 + (hop.kmh ?? 0) : 0);

const hasCoordinates = (e: LocatedVerification) => e.latitude !== null && e.longitude !== null;

/** Consecutive successes of one user (oldest first) that no one could have travelled between. */
function travelHops(
  events: readonly LocatedVerification[],
  settings: {
    maxSpeedKmh: number;
    minDistanceKm: number;
    countryWindowMinutes: number;
    lookbackDays: number;
  },
): Hop[] {
  const hops: Hop[] = [];
  // When the user last succeeded from each autonomous system (or network, where the AS is not
  // known) on an earlier day within the lookback. Two places the user routinely signs in from
  // (home and the phone's carrier, whose exits geo data places hundreds of kilometres away) are
  // no trip.
  const seenOn = new Map<string, number[]>();
  const placeKey = (e: LocatedVerification) => (e.asn !== null ? `AS${e.asn}` : e.network);
  const familiar = (e: LocatedVerification) => {
    const key = placeKey(e);
    const seen = key === null ? undefined : seenOn.get(key);
    return (
      seen !== undefined &&
      seen.some((ts) => ts <= e.ts - DAY_MS && ts >= e.ts - settings.lookbackDays * DAY_MS)
    );
  };
  for (let i = 1; i < events.length; i++) {
    const from = events[i - 1]!;
    const to = events[i]!;
    const fromKey = placeKey(from);
    if (fromKey !== null) {
      const seen = seenOn.get(fromKey) ?? [];
      // One entry a day is enough to tell "an earlier day".
      if (seen.length === 0 || from.ts - seen.at(-1)! >= DAY_MS) seen.push(from.ts);
      seenOn.set(fromKey, seen);
    }
    if (from.ip === to.ip) continue;
    if (familiar(from) && familiar(to)) continue;
    const elapsedMs = to.ts - from.ts;
    if (hasCoordinates(from) && hasCoordinates(to)) {
      const km = greatCircleKm(
        { latitude: from.latitude!, longitude: from.longitude! },
        { latitude: to.latitude!, longitude: to.longitude! },
      );
      if (km < settings.minDistanceKm) continue;
      const kmh = elapsedMs === 0 ? Infinity : km / (elapsedMs / HOUR_MS);
      if (kmh > settings.maxSpeedKmh) hops.push({ from, to, rule: 'speed', km, kmh });
    } else if (
      from.country &&
      to.country &&
      from.country !== to.country &&
      elapsedMs <= settings.countryWindowMinutes * MINUTE_MS &&
      !areAdjacent(from.country, to.country)
    ) {
      hops.push({ from, to, rule: 'countries', km: null, kmh: null });
    }
  }
  return hops;
}

/** Hops that share a verification (there and back again) make one trip. */
function chainedHops(hops: readonly Hop[]): Hop[][] {
  const trips: Hop[][] = [];
  for (const hop of hops) {
    const trip = trips.at(-1);
    if (trip && trip.at(-1)!.to === hop.from) trip.push(hop);
    else trips.push([hop]);
  }
  return trips;
}

function elapsedWords(fromMs: number, toMs: number): string {
  const ms = toMs - fromMs;
  return ms < 2 * HOUR_MS
    ? minutesBetween(fromMs, toMs)
    : `${Number((ms / HOUR_MS).toFixed(1))} hours`;
}

const km = (n: number) => Math.round(n).toLocaleString('en');

function hopWords(hop: Hop, settings: { maxSpeedKmh: number; countryWindowMinutes: number }) {
  const when = elapsedWords(hop.from.ts, hop.to.ts);
  const places = `Successful verifications from ${placeOf(hop.from)} and, ${when} later, from ${placeOf(hop.to)}`;
  if (hop.rule === 'speed') {
    const speed = hop.kmh === Infinity ? 'at the same moment' : `${km(hop.kmh!)} km/h`;
    return `${places}: ${km(hop.km!)} km apart, ${speed}, faster than ${km(settings.maxSpeedKmh)} km/h`;
  }
  return `${places}: ${countryName(hop.from.country!)} and ${countryName(hop.to.country!)} share no border, and the geo data has no coordinates (rule: non-neighbouring countries within ${settings.countryWindowMinutes} minutes)`;
}
