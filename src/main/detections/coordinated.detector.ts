import { z } from 'zod';
import {
  countFailures,
  failureBursts,
  failureParticipants,
  sprayedNetworks,
} from '../store/detections.store';
import { VERIFY_FAILED } from '../../shared/audit-events';
import {
  defineDetector,
  groupBy,
  iso,
  mergeRanges,
  minutesBetween,
  MINUTE_MS,
  type DetectedFinding,
} from './detector';

const windowMinutes = (fallback: number) =>
  z
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(fallback)
    .meta({ title: 'Within minutes' });

/**
 * The guide's "many failed attempts across users": 20 users within 10 minutes is far above the
 * few typos per 10 minutes of 10,000 people signing in (a burst); 5 users failing from one
 * network within an hour is password spraying. Typos (failures put right within 10 minutes)
 * never count.
 */
export default defineDetector({
  kind: 'coordinated',
  title: 'Coordinated attack',
  description: 'Many users failing at once, or many users failing from one network.',
  settings: z.object({
    burstUsers: z
      .number()
      .int()
      .min(2)
      .max(100_000)
      .default(20)
      .meta({ title: 'Users failing at once' }),
    burstWindowMinutes: windowMinutes(10),
    sprayUsers: z
      .number()
      .int()
      .min(2)
      .max(100_000)
      .default(5)
      .meta({ title: 'Users from one network' }),
    sprayWindowMinutes: windowMinutes(60),
  }),

  absorbs: ['new_country', 'new_network', 'novel_asn'],

  async detect({ db, range, settings }) {
    const bursts: DetectedFinding[] = [];
    // Two grids, the second shifted by half a window, so a burst straddling a boundary is caught.
    const windowMs = settings.burstWindowMinutes * MINUTE_MS;
    const buckets = await failureBursts(
      db,
      range,
      windowMs,
      [0, windowMs / 2],
      settings.burstUsers,
    );
    for (const burst of mergeRanges(buckets, 0)) {
      const burstRange = { sinceMs: burst.firstTs, untilMs: burst.lastTs + 1 };
      const who = await failureParticipants(db, burstRange);
      bursts.push({
        idParts: ['burst', burst.firstTs],
        severity: who.emails.length >= settings.burstUsers * 2 ? 'high' : 'medium',
        title: `${who.emails.length} users failed within minutes of each other`,
        users: who.emails,
        ips: who.ips,
        start: iso(burst.firstTs),
        end: iso(burst.lastTs),
        count: await countFailures(db, burstRange),
        why: `${who.emails.length} users failed to verify within ${minutesBetween(burst.firstTs, burst.lastTs)} from ${who.ips.length} addresses, where ${settings.burstUsers} in ${settings.burstWindowMinutes} minutes is already unusual.`,
        action:
          'A coordinated attempt on many accounts: check whether the passwords leaked together, force password changes for the users, and block the addresses upstream.',
        filter: {
          types: [VERIFY_FAILED],
          unresolved: true,
          since: iso(burstRange.sinceMs),
          until: iso(burstRange.untilMs),
        },
      });
    }

    const sprayWindowMs = settings.sprayWindowMinutes * MINUTE_MS;
    const sprays: DetectedFinding[] = [];
    // Two grids here too: a slow spray across an hour's boundary is still one hour of spraying.
    const sprayed = [
      ...(await sprayedNetworks(db, range, sprayWindowMs, settings.sprayUsers)),
      ...(await sprayedNetworks(db, range, sprayWindowMs, settings.sprayUsers, sprayWindowMs / 2)),
    ];
    for (const [network, groups] of groupBy(sprayed, (spray) => spray.network)) {
      for (const span of mergeRanges(groups, sprayWindowMs)) {
        const sprayRange = { sinceMs: span.firstTs, untilMs: span.lastTs + 1 };
        const who = await failureParticipants(db, sprayRange, network);
        sprays.push({
          idParts: ['spray', network, span.firstTs],
          severity: who.emails.length >= settings.sprayUsers * 2 ? 'high' : 'medium',
          title: `${who.emails.length} users failed from one network, ${network}`,
          users: who.emails,
          ips: who.ips,
          start: iso(span.firstTs),
          end: iso(span.lastTs),
          count: await countFailures(db, sprayRange, network),
          why: `${who.emails.length} users failed to verify from ${network} within ${minutesBetween(span.firstTs, span.lastTs)}: one network trying many accounts is password spraying.`,
          action:
            'Block the network upstream unless it is yours (then add it to trusted), and have the users change their passwords.',
          remedies: ['trust_network'],
          filter: {
            types: [VERIFY_FAILED],
            unresolved: true,
            ip: network,
            since: iso(sprayRange.sinceMs),
            until: iso(sprayRange.untilMs),
          },
        });
      }
    }
    // A burst whose every failure came from one sprayed network is that spray: report it once.
    const sameEvents = (burst: DetectedFinding) =>
      sprays.some(
        (spray) =>
          spray.count === burst.count && spray.start <= burst.start && spray.end >= burst.end,
      );
    return [...bursts.filter((burst) => !sameEvents(burst)), ...sprays];
  },
});
