import { z } from 'zod';
import { newCountryCandidates, type LocatedVerification } from '../store/location-detections.store';
import {
  DAY_MS,
  baselineSettings,
  defineDetector,
  groupBy,
  iso,
  minutesBetween,
  type DetectedFinding,
} from './detector';
import { countryName, placeOf, plural, verificationsFilter } from './location-wording';

/**
 * Okta's and Duo's "new country": a verification from a country the user has not succeeded from
 * lately, once they have a baseline. Only successes make a country familiar: an attacker's
 * failed attempts from abroad must not teach the detector that abroad is normal. Internal
 * addresses, countries the geo data does not know and trusted networks never make a finding.
 */
export default defineDetector({
  kind: 'new_country',
  title: 'New country',
  description:
    'Verifications from a country an established user has not succeeded from lately. By default "lately" is the lookback (90 days); set "Compare with the last sign-ins" above 0 for Okta\'s rule instead: a country not among the user\'s last N successful verifications (within the lookback).',
  settings: z.object({
    lookbackDays: z.number().int().min(7).max(365).default(90).meta({ title: 'Unseen for days' }),
    recentSignIns: z
      .number()
      .int()
      .min(0)
      .max(100)
      .default(0)
      .meta({ title: 'Compare with the last sign-ins (0: the whole lookback)' }),
    ...baselineSettings,
  }),

  absorbs: ['new_network', 'novel_asn'],

  async detect({ db, range, settings, trusted }) {
    const lookbackMs = settings.lookbackDays * DAY_MS;
    const rows = await newCountryCandidates(db, range, {
      lookbackMs,
      recentSuccesses: settings.recentSignIns,
      baselineSpanMs: settings.baselineSpanDays * DAY_MS,
    });
    const episodes: LocatedVerification[][] = [];
    for (const events of groupBy(rows, (r) => r.user_id).values())
      episodes.push(
        ...newCountryEpisodes(events, range.sinceMs, {
          lookbackMs,
          recentSuccesses: settings.recentSignIns,
          baselineDays: settings.baselineDays,
          baselineSpanMs: settings.baselineSpanDays * DAY_MS,
          isTrusted: (e) => trusted.isTrusted(e.ip, e.asn),
        }),
      );
    const rule = (email: string) =>
      settings.recentSignIns > 0
        ? `none of ${email}'s last ${settings.recentSignIns} successful verifications came from`
        : `${email} has not succeeded from in ${settings.lookbackDays} days`;
    const findings: DetectedFinding[] = [];
    for (const campaign of campaigns(episodes)) {
      const events = campaign.flat().sort((a, b) => a.ts - b.ts);
      const first = events[0]!;
      const last = events.at(-1)!;
      const failures = events.filter((e) => !e.success).length;
      const emails = [
        ...new Set(campaign.map((episode) => episode[0]!.email ?? episode[0]!.user_id)),
      ].sort();
      const single = campaign.length === 1;
      const country = countryName(first.country!);
      const asns = [...new Set(events.map((e) => e.asn).filter((a): a is number => a !== null))];
      findings.push({
        idParts: [single ? first.user_id : 'many', first.country!, first.ts],
        // Only failures: someone without the code, from where the user never is. A success:
        // travel, or a takeover; worth asking.
        severity: failures === events.length ? 'high' : 'medium',
        title: single
          ? `${emails[0]} verified from a country new for them: ${country}`
          : `${emails.length} users failed from a country new to each of them: ${country}`,
        users: emails,
        ips: [...new Set(events.map((e) => e.ip).filter((ip): ip is string => !!ip))].sort(),
        countries: [first.country!],
        asns: asns.sort((a, b) => a - b),
        start: iso(first.ts),
        end: iso(last.ts),
        count: events.length,
        why: single
          ? `${plural(events.length, 'verification')} (${failures} failed) from ${placeOf(first)}, a country ${rule(emails[0]!)}.`
          : `${plural(events.length, 'failed verification')} for ${emails.length} users from ${placeOf(first)} within ${minutesBetween(first.ts, last.ts)}, a country none of them has succeeded from in ${settings.lookbackDays} days.`,
        action: single
          ? failures === events.length
            ? 'Only failures: someone without the code is trying from abroad. Have the user set a new password; add the network to trusted if it is yours.'
            : 'Ask the user whether they are travelling; if not, reset their 2FA and have them set a new password. If the network is your VPN, add it to trusted.'
          : 'A campaign from abroad against several accounts: have these users set new passwords and block the addresses upstream unless the network is yours (then add it to trusted).',
        remedies: single ? ['reset_two_factor', 'trust_network'] : ['trust_network'],
        filter: verificationsFilter(events, single ? { userId: first.user_id } : {}),
      });
    }
    return findings;
  },
});

/** Failures-only episodes of different users from one country starting within this: one attack. */
const CAMPAIGN_WINDOW_MS = 60 * 60_000;

/**
 * One finding per attack: failures-only episodes of several users from the same country that
 * start within an hour of each other are one campaign (a spray seen by country); every other
 * episode stands alone.
 */
function campaigns(episodes: LocatedVerification[][]): LocatedVerification[][][] {
  const result: LocatedVerification[][][] = [];
  const open = new Map<string, { startedAt: number; episodes: LocatedVerification[][] }>();
  const failuresOnly = (episode: LocatedVerification[]) => episode.every((e) => !e.success);
  for (const episode of [...episodes].sort((a, b) => a[0]!.ts - b[0]!.ts)) {
    if (!failuresOnly(episode)) {
      result.push([episode]);
      continue;
    }
    const country = episode[0]!.country!;
    const current = open.get(country);
    if (current && episode[0]!.ts - current.startedAt <= CAMPAIGN_WINDOW_MS) {
      current.episodes.push(episode);
      continue;
    }
    const started = { startedAt: episode[0]!.ts, episodes: [episode] };
    open.set(country, started);
    result.push(started.episodes);
  }
  return result;
}

interface EpisodeOptions {
  lookbackMs: number;
  recentSuccesses: number;
  baselineDays: number;
  baselineSpanMs: number;
  isTrusted(event: LocatedVerification): boolean;
}

/**
 * One user's verifications (oldest first, lookback included) judged one by one against the
 * located successes before each (the baseline: located sign-in days over a span): runs of
 * verifications from a country new at the time, per country, each ended by a verification from
 * that country that is no longer new.
 */
export function newCountryEpisodes(
  events: readonly LocatedVerification[],
  sinceMs: number,
  options: EpisodeOptions,
): LocatedVerification[][] {
  const episodes: LocatedVerification[][] = [];
  const open = new Map<string, LocatedVerification[]>();
  // The successes of the sliding lookback window: [windowStart, i).
  const successes: LocatedVerification[] = [];
  let windowStart = 0;
  const countryCounts = new Map<string, number>();
  const dayCounts = new Map<number, number>();
  const bump = <K>(map: Map<K, number>, key: K, by: number) => {
    const n = (map.get(key) ?? 0) + by;
    if (n === 0) map.delete(key);
    else map.set(key, n);
  };
  for (const event of events) {
    while (
      windowStart < successes.length &&
      successes[windowStart]!.ts < event.ts - options.lookbackMs
    ) {
      const gone = successes[windowStart++]!;
      bump(countryCounts, gone.country!, -1);
      bump(dayCounts, Math.floor(gone.ts / DAY_MS), -1);
    }
    const country = event.country;
    if (event.ts >= sinceMs && country && !options.isTrusted(event)) {
      const oldest = successes[windowStart];
      const newest = successes.at(-1);
      const baseline =
        oldest !== undefined &&
        newest !== undefined &&
        windowStart < successes.length &&
        dayCounts.size >= options.baselineDays &&
        newest.ts - oldest.ts >= options.baselineSpanMs;
      const familiar =
        options.recentSuccesses > 0
          ? successes
              .slice(Math.max(windowStart, successes.length - options.recentSuccesses))
              .some((s) => s.country === country)
          : countryCounts.has(country);
      const episode = open.get(country);
      if (baseline && !familiar) {
        if (episode) episode.push(event);
        else {
          const started = [event];
          open.set(country, started);
          episodes.push(started);
        }
      } else if (episode) open.delete(country);
    }
    // Only located successes make a baseline: where the user was is what is compared.
    if (event.success && event.country) {
      successes.push(event);
      bump(countryCounts, event.country, 1);
      bump(dayCounts, Math.floor(event.ts / DAY_MS), 1);
    }
  }
  return episodes;
}
