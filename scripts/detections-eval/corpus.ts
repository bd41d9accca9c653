import { base, en, Faker } from '@faker-js/faker';
import { canonicalJson } from '../../src/main/audit/audit-chain';
import type { HistoricalEvent } from '../../src/main/audit/audit.service';
import { VERIFY_FAILED, VERIFY_SUCCESS } from '../../src/shared/audit-events';
import type { TrustedNetworksSettings } from '../../src/shared/contract';
import {
  block24,
  CGNAT_PREFIX,
  countries,
  distanceKm,
  hostIn,
  network,
  networks,
  networksOf,
  type Network,
} from './networks';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

const SIGNIN_FAILED = 'com.alaigned.auth.signin.failed';
const SIGNIN_LOCKED = 'com.alaigned.auth.signin.locked';
const TWO_FACTOR_LOCKED = 'com.alaigned.auth.2fa.locked';
const TWO_FACTOR_RESET = 'com.alaigned.auth.2fa.reset';
const TWO_FACTOR_ENABLED = 'com.alaigned.auth.2fa.enabled';
const TWO_FACTOR_DISABLED = 'com.alaigned.auth.2fa.disabled';
const BACKUP_CODES_REGENERATED = 'com.alaigned.auth.2fa.backup_codes.regenerated';
const ORG_SETTINGS_CHANGED = 'com.alaigned.organization.2fa.settings_changed';

/** Every kind the eval injects: today's detectors and the four being written elsewhere. */
export const attackKinds = [
  'user_failures',
  'new_network',
  'coordinated',
  'failures_then_success',
  'new_country',
  'novel_asn',
  'impossible_travel',
  'admin_takeover_signals',
  'ip_spray',
  'distributed_spray',
  'lockout_storm',
  'backup_code_burst',
] as const;
export type AttackKind = (typeof attackKinds)[number];

/** One injected attack: what a finding of `kind` must overlap to find it. */
export interface Attack {
  id: string;
  kind: AttackKind;
  /** Its intensity, in words (the table's notes). */
  label: string;
  /** Emails of the accounts involved (an admin's own for admin abuse). */
  users: string[];
  ips: string[];
  start: number;
  end: number;
}

/** The benign behaviours, so a false finding can be traced to the behaviour that caused it. */
export const benignBehaviours = [
  'routine',
  'typo',
  'clock_drift',
  'new_phone',
  'business_travel',
  'travel_over_vpn',
  'office_nat',
  'mobile_cgnat',
  'org_vpn',
  'help_desk',
] as const;
export type BenignBehaviour = (typeof benignBehaviours)[number];

export interface BenignEpisode {
  behaviour: BenignBehaviour;
  email: string;
  ips: string[];
  start: number;
  end: number;
}

export interface Location {
  internal: boolean;
  country: string | null;
  asn: number | null;
  asOrg: string | null;
  latitude: number | null;
  longitude: number | null;
}

export interface Corpus {
  users: number;
  /** The evaluated window (the last `days` days) and the history before it (baselines). */
  windowStart: number;
  end: number;
  days: number;
  historyDays: number;
  events: HistoricalEvent[];
  locations: Map<string, Location>;
  attacks: Attack[];
  benign: BenignEpisode[];
  /** The org's own networks as an admin lists them in the console (offices, VPN egress). */
  trusted: TrustedNetworksSettings;
}

export interface CorpusOptions {
  users: number;
  days: number;
  historyDays?: number;
  seed: number;
  /** End of the corpus (defaults to a fixed midnight, so a seed gives the same corpus). */
  end?: number;
}

const DOMAIN = 'evalcorp.test';
const SOURCE = 'detections-eval';
const AGENT = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/150.0 Safari/537.36';
const MOBILE_AGENT = 'Mozilla/5.0 (iPhone; CPU iPhone OS 19_0 like Mac OS X) Mobile/15E148';
const ATTACK_AGENT = 'python-requests/2.32';
/** A carrier's CGNAT egress pool: this many /24s of its prefix, addresses shared and rotating. */
const CGNAT_POOL_BLOCKS = 8;
/** Office NAT: this many public addresses per office, shared by everyone there. */
const OFFICE_NAT_ADDRESSES = 6;

interface User {
  id: string;
  email: string;
  country: string;
  utcOffset: number;
  home: string;
  homeNet: Network;
  mobile: Network | null;
  /** Corporate phones on the carrier's private APN reach us from CGNAT space (internal). */
  privateApn: boolean;
  office: Network | null;
  vpn: Network | null;
  /** Taken by a benign special behaviour (travel, drift, new phone): no attack targets it. */
  special: boolean;
}

const OFFICE_OF: Record<string, string> = {
  US: 'office-chicago',
  DE: 'office-berlin',
  IN: 'office-bangalore',
};
const VPN_OF = (country: string) =>
  ['US', 'CA', 'BR'].includes(country) ? network('vpn-ohio') : network('vpn-frankfurt');

export function generateCorpus(options: CorpusOptions): Corpus {
  const faker = new Faker({ locale: [en, base] });
  faker.seed(options.seed);
  const rnd = () => faker.number.float();
  const int = (min: number, max: number) => faker.number.int({ min, max });
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rnd() * items.length)]!;
  const chance = (p: number) => rnd() < p;

  const historyDays = options.historyDays ?? 21;
  const end = options.end ?? Date.parse('2026-05-04T00:00:00Z');
  const windowStart = end - options.days * DAY;
  const start = windowStart - historyDays * DAY;
  const totalDays = historyDays + options.days;

  const events: HistoricalEvent[] = [];
  const locations = new Map<string, Location>();
  const benign: BenignEpisode[] = [];
  const attacks: Attack[] = [];

  const locate = (ip: string, net: Network | null) => {
    if (locations.has(ip)) return;
    locations.set(
      ip,
      net
        ? {
            internal: false,
            country: net.country,
            asn: net.asn,
            asOrg: net.asOrg,
            latitude: net.latitude,
            longitude: net.longitude,
          }
        : {
            internal: true,
            country: null,
            asn: null,
            asOrg: null,
            latitude: null,
            longitude: null,
          },
    );
  };
  const addressIn = (net: Network, blockIndex: number, host: number) => {
    const ip = hostIn(block24(net.prefix, blockIndex), host);
    locate(ip, net);
    return ip;
  };
  const cgnatAddress = () => {
    const ip = hostIn(block24(CGNAT_PREFIX, int(0, 16_000)), int(0, 253));
    locate(ip, null);
    return ip;
  };

  const add = (
    type: string,
    ts: number,
    user: { id: string; email: string } | null,
    ip: string | null,
    agent: string,
    method: 'totp' | 'backup_code' | null = 'totp',
    details: Record<string, unknown> = {},
  ) =>
    events.push({
      type,
      ts: Math.round(ts),
      userId: user?.id ?? null,
      email: user?.email ?? null,
      ip,
      userAgent: agent,
      method,
      details: canonicalJson(details),
      source: SOURCE,
    });
  const fail = (ts: number, user: User, ip: string, agent = AGENT) =>
    add(VERIFY_FAILED, ts, user, ip, agent, 'totp', { reason: 'wrong_code' });
  const succeed = (ts: number, user: User, ip: string, agent = AGENT) =>
    add(VERIFY_SUCCESS, ts, user, ip, agent);

  // The org: people where its employees live, a third of those near an office working there.
  const weighted = countries.filter((c) => c.share > 0);
  const countryOf = () => {
    let r = rnd() * weighted.reduce((sum, c) => sum + c.share, 0);
    for (const c of weighted) if ((r -= c.share) < 0) return c;
    return weighted[0]!;
  };
  const users: User[] = [];
  for (let i = 0; i < options.users; i++) {
    const c = countryOf();
    const homeNet = pick(networksOf(c.code, 'home'));
    const mobile = networksOf(c.code, 'mobile')[0] ?? null;
    const officeId = OFFICE_OF[c.code];
    const user: User = {
      id: `u${String(i).padStart(6, '0')}`,
      email: `user${i}@${DOMAIN}`,
      country: c.code,
      utcOffset: c.utcOffset,
      home: '',
      homeNet,
      mobile,
      privateApn: mobile !== null && chance(0.03),
      office: officeId && chance(0.45) ? network(officeId) : null,
      vpn: null,
      special: false,
    };
    user.home = addressIn(homeNet, int(0, 1 << 16), int(0, 253));
    if (!user.office && chance(0.2)) user.vpn = VPN_OF(c.code);
    users.push(user);
  }
  const admins = users.slice(0, Math.max(1, Math.min(5, Math.floor(options.users / 100))));
  const helpDesk = admins[0]!;
  const officeIp = (office: Network) => addressIn(office, 0, int(0, OFFICE_NAT_ADDRESSES - 1));
  const mobileIp = (user: User) =>
    user.privateApn
      ? cgnatAddress()
      : addressIn(user.mobile!, int(0, CGNAT_POOL_BLOCKS - 1), int(0, 253));
  const vpnIp = (vpn: Network) => addressIn(vpn, 0, int(0, 3));

  // Special benign behaviours, each on its own users (who are then never attack targets).
  const pool = faker.helpers.shuffle(users.slice(admins.length));
  const takeUsers = (share: number) =>
    pool.splice(0, Math.max(1, Math.round(options.users * share))).map((u) => {
      u.special = true;
      return u;
    });
  const perMonth = (share: number) => share * (totalDays / 30);
  type Trip = {
    /** Leaving home (no sign-in until arrival), arriving (`from`), back home (`to`). */
    depart: number;
    from: number;
    /** Home again after the flight back. */
    back: number;
    to: number;
    dest: string;
    vpn: boolean;
    hotel: string;
    net: Network;
  };
  const trips = new Map<string, Trip>();
  const planTrip = (user: User, vpn: boolean) => {
    const dest = pick(weighted.filter((c) => c.code !== user.country)).code;
    const net = pick(networksOf(dest, 'home'));
    const departDay = int(1, totalDays - 8);
    const flightMs = (distanceKm(user.homeNet, net) / 800 + 3) * HOUR;
    // Leaves in the evening after work (local), back a few days later.
    const from = start + departDay * DAY + (18 - user.utcOffset) * HOUR;
    const to = from + int(2, 6) * DAY;
    trips.set(user.id, {
      depart: from,
      from: from + flightMs,
      to,
      back: to + flightMs,
      dest,
      vpn,
      hotel: addressIn(net, int(0, 1 << 16), int(0, 253)),
      net,
    });
    return { from, to };
  };
  for (const user of takeUsers(perMonth(0.02))) {
    const { from, to } = planTrip(user, false);
    benign.push({ behaviour: 'business_travel', email: user.email, ips: [], start: from, end: to });
  }
  for (const user of takeUsers(perMonth(0.02))) {
    const { from, to } = planTrip(user, true);
    benign.push({ behaviour: 'travel_over_vpn', email: user.email, ips: [], start: from, end: to });
  }
  const drift = new Map<string, { from: number; to: number }>();
  for (const user of takeUsers(perMonth(0.01))) {
    const from = start + int(0, totalDays - 4) * DAY;
    const to = from + int(2, 4) * DAY;
    drift.set(user.id, { from, to });
    benign.push({ behaviour: 'clock_drift', email: user.email, ips: [], start: from, end: to });
  }
  const newPhone = new Map<string, number>();
  for (const user of takeUsers(perMonth(0.015))) {
    if (!user.mobile) continue;
    const day = start + int(1, totalDays - 1) * DAY;
    newPhone.set(user.id, day);
    benign.push({ behaviour: 'new_phone', email: user.email, ips: [], start: day, end: day + DAY });
  }

  /** A sign-in: now and then a typo (1-2 wrong codes put right within a minute) first. */
  const signIn = (ts: number, user: User, ip: string, agent: string) => {
    if (chance(0.03)) {
      const typos = chance(0.8) ? 1 : 2;
      for (let t = typos; t > 0; t--) fail(ts - t * int(8, 30) * 1000, user, ip, agent);
      benign.push({ behaviour: 'typo', email: user.email, ips: [ip], start: ts - MINUTE, end: ts });
    }
    const drifting = drift.get(user.id);
    if (drifting && ts >= drifting.from && ts < drifting.to) {
      // The phone's clock is minutes off: every code fails until the user resyncs it.
      const failures = int(2, 4);
      const fixedAfter = int(2, 12) * MINUTE;
      for (let t = 0; t < failures; t++)
        fail(ts + (t * fixedAfter) / (failures + 1), user, ip, agent);
      succeed(ts + fixedAfter, user, ip, agent);
      return;
    }
    succeed(ts, user, ip, agent);
  };

  // Every user's days.
  for (const user of users) {
    const trip = trips.get(user.id);
    for (let d = 0; d < totalDays; d++) {
      const dayStart = start + d * DAY;
      const weekday = new Date(dayStart).getUTCDay();
      const workday = weekday >= 1 && weekday <= 5;
      const localHour = (h: number) => dayStart + (h - user.utcOffset) * HOUR;
      const onTrip = trip && dayStart + 12 * HOUR >= trip.from && dayStart < trip.to;
      const phoneDay = newPhone.get(user.id);
      if (phoneDay === dayStart) {
        // A new phone: the old authenticator is gone. A backup code, then new codes; or the
        // help desk resets 2FA and the user enrolls again.
        const ts = localHour(8 + rnd() * 3);
        const ip = mobileIp(user);
        fail(ts, user, ip, MOBILE_AGENT);
        if (chance(0.5)) {
          add(VERIFY_SUCCESS, ts + 2 * MINUTE, user, ip, MOBILE_AGENT, 'backup_code');
          add(BACKUP_CODES_REGENERATED, ts + 5 * MINUTE, user, ip, MOBILE_AGENT, null);
        } else {
          const desk = helpDesk.office ? officeIp(helpDesk.office) : helpDesk.home;
          add(TWO_FACTOR_RESET, ts + 40 * MINUTE, user, desk, AGENT, null, {
            wasActive: true,
            actorId: helpDesk.id,
            actorEmail: helpDesk.email,
          });
          add(TWO_FACTOR_ENABLED, ts + 55 * MINUTE, user, ip, MOBILE_AGENT, null);
          succeed(ts + 56 * MINUTE, user, ip, MOBILE_AGENT);
          benign.push({
            behaviour: 'help_desk',
            email: helpDesk.email,
            ips: [desk],
            start: ts,
            end: ts + HOUR,
          });
        }
        benign.push({
          behaviour: 'new_phone',
          email: user.email,
          ips: [ip],
          start: ts,
          end: ts + HOUR,
        });
        continue;
      }
      if (onTrip) {
        const destOffset = countries.find((c) => c.code === trip.dest)!.utcOffset;
        const at = (h: number) => dayStart + (h - destOffset) * HOUR;
        if (chance(0.9)) {
          const ts = Math.max(trip.from, at(8 + rnd() * 3));
          if (ts >= trip.to) continue;
          const ip = trip.vpn ? vpnIp(user.vpn ?? VPN_OF(user.country)) : trip.hotel;
          signIn(ts, user, ip, AGENT);
          benign.push({
            behaviour: trip.vpn ? 'travel_over_vpn' : 'business_travel',
            email: user.email,
            ips: [ip],
            start: ts - HOUR,
            end: ts + HOUR,
          });
        }
        if (user.mobile && chance(0.4)) {
          // Roaming data is routed home: the phone shows the home carrier's addresses abroad.
          const ts = Math.max(trip.from, at(12 + rnd() * 9));
          if (ts >= trip.to) continue;
          const ip = mobileIp(user);
          signIn(ts, user, ip, MOBILE_AGENT);
          benign.push({
            behaviour: trip.vpn ? 'travel_over_vpn' : 'business_travel',
            email: user.email,
            ips: [ip],
            start: ts - HOUR,
            end: ts + HOUR,
          });
        }
        continue;
      }
      // On a plane: no sign-ins between leaving and arriving, either way.
      const flying = (ts: number) =>
        trip !== undefined &&
        ((ts >= trip.depart && ts < trip.from) || (ts >= trip.to && ts < trip.back));
      if (workday ? chance(0.85) : chance(0.1)) {
        const ts = localHour(7.5 + rnd() * 3);
        if (flying(ts)) continue;
        if (workday && user.office && chance(0.8)) signIn(ts, user, officeIp(user.office), AGENT);
        else if (user.vpn && chance(0.7)) signIn(ts, user, vpnIp(user.vpn), AGENT);
        else signIn(ts, user, user.home, AGENT);
      }
      if (user.mobile && chance(workday ? 0.3 : 0.15)) {
        const ts = localHour(7 + rnd() * 14);
        if (!flying(ts)) signIn(ts, user, mobileIp(user), MOBILE_AGENT);
      }
    }
  }

  // ---- Attacks -------------------------------------------------------------------------------
  const targets = pool.length > 0 ? pool : users;
  const targetsOf = (count: number, where?: (u: User) => boolean) => {
    const eligible = where ? targets.filter(where) : targets;
    return faker.helpers.shuffle(eligible.length > 0 ? eligible : targets).slice(0, count);
  };
  const scale = (n: number) => Math.max(1, Math.min(n, Math.floor(targets.length / 2)));
  const attackNets = {
    hosting: [
      'us-digitalocean',
      'us-linode',
      'us-vultr',
      'de-hetzner',
      'fr-ovh',
      'ru-selectel',
    ].map(network),
    abroad: ['ru-beeline', 'cn-telecom', 'ng-mtn', 'br-claro', 'pl-orange'].map(network),
  };
  let fresh = 0;
  /** An address no benign user has: a high /24 of the network, one per call. */
  const attackIp = (net: Network) => addressIn(net, 40_000 + fresh++, int(0, 253));

  type Planned = {
    kind: AttackKind;
    label: string;
    run(at: number): Omit<Attack, 'id' | 'kind' | 'label'>;
  };
  const plans: Planned[] = [];
  const plan = (kind: AttackKind, label: string, run: Planned['run']) =>
    plans.push({ kind, label, run });
  const span = (ts: number[]) => ({ start: Math.min(...ts), end: Math.max(...ts) });

  // user_failures: one account, wrong codes in a row, never the right one.
  for (const [n, minutes] of [
    [5, 50],
    [10, 15],
    [40, 5],
  ] as const)
    plan('user_failures', `${n} failures in ${minutes} min`, (at) => {
      const [user] = targetsOf(1);
      const ip = attackIp(pick(attackNets.hosting));
      const ts = Array.from({ length: n }, (_, i) => at + (i * minutes * MINUTE) / n);
      for (const t of ts) fail(t, user!, ip, ATTACK_AGENT);
      return { users: [user!.email], ips: [ip], ...span(ts) };
    });

  // new_network: someone with the code, or guessing, from the user's own country's ISP.
  for (const [successes, failures] of [
    [1, 0],
    [0, 2],
    [1, 3],
  ] as const)
    plan('new_network', `${failures} failed, ${successes} succeeded from a new /24`, (at) => {
      const [user] = targetsOf(1);
      const net = pick(networksOf(user!.country, 'home'));
      const ip = attackIp(net);
      const ts: number[] = [];
      for (let i = 0; i < failures; i++) ts.push(at + i * MINUTE);
      for (const t of ts) fail(t, user!, ip);
      if (successes) {
        ts.push(at + failures * MINUTE + 30_000);
        succeed(ts.at(-1)!, user!, ip);
      }
      return { users: [user!.email], ips: [ip], ...span(ts) };
    });

  // coordinated: a burst across many accounts, and sprays from one network (slow ones too).
  for (const n of [25, 60, 250])
    plan('coordinated', `burst: ${scale(n)} users from ${scale(n)} addresses in 8 min`, (at) => {
      const who = targetsOf(scale(n));
      const ips: string[] = [];
      const ts = who.map((user, i) => {
        const ip = attackIp(pick([...attackNets.hosting, ...attackNets.abroad]));
        ips.push(ip);
        const t = at + (i * 8 * MINUTE) / who.length;
        fail(t, user, ip, ATTACK_AGENT);
        return t;
      });
      return { users: who.map((u) => u.email), ips, ...span(ts) };
    });
  for (const [n, hours] of [
    [6, 1],
    [12, 6],
    [100, 3],
  ] as const)
    plan(
      'coordinated',
      `spray from one /24: ${scale(n)} users, 1 attempt per user per hour for ${hours} h`,
      (at) => {
        const who = targetsOf(scale(n));
        const net = pick(attackNets.hosting);
        const block = 40_000 + fresh++;
        const ips = new Set<string>();
        const ts: number[] = [];
        for (let h = 0; h < hours; h++)
          who.forEach((user, i) => {
            const ip = addressIn(net, block, i % 4);
            ips.add(ip);
            const t = at + h * HOUR + (i * HOUR) / who.length;
            ts.push(t);
            fail(t, user, ip, ATTACK_AGENT);
          });
        return { users: who.map((u) => u.email), ips: [...ips], ...span(ts) };
      },
    );

  // failures_then_success: guessing that worked.
  for (const [n, minutes] of [
    [3, 15],
    [6, 4],
    [15, 10],
  ] as const)
    plan('failures_then_success', `${n} failures then a success in ${minutes} min`, (at) => {
      const [user] = targetsOf(1);
      const ip = attackIp(pick(attackNets.hosting));
      const ts = Array.from({ length: n + 1 }, (_, i) => at + (i * minutes * MINUTE) / n);
      ts.slice(0, n).forEach((t) => fail(t, user!, ip, ATTACK_AGENT));
      succeed(ts[n]!, user!, ip, ATTACK_AGENT);
      return { users: [user!.email], ips: [ip], ...span(ts) };
    });

  // new_country: from a country the user has never been in.
  for (const [successes, failures] of [
    [1, 0],
    [0, 4],
    [1, 2],
  ] as const)
    plan('new_country', `${failures} failed, ${successes} succeeded from abroad`, (at) => {
      const [user] = targetsOf(1);
      const ip = attackIp(pick(attackNets.abroad.filter((n) => n.country !== user!.country)));
      const ts: number[] = [];
      for (let i = 0; i < failures; i++) {
        ts.push(at + i * 2 * MINUTE);
        fail(ts.at(-1)!, user!, ip);
      }
      if (successes) {
        ts.push(at + failures * 2 * MINUTE + MINUTE);
        succeed(ts.at(-1)!, user!, ip);
      }
      return { users: [user!.email], ips: [ip], ...span(ts) };
    });

  // novel_asn: an operator none of the org ever signed in from (each used by this attack only).
  for (const [id, users, successes, failures] of [
    ['nl-leaseweb', 1, 1, 0],
    ['us-colocrossing', 1, 0, 3],
    ['sg-tencent', 2, 1, 1],
  ] as const)
    plan(
      'novel_asn',
      `${users} users, ${failures} failed, ${successes} succeeded from AS${network(id).asn}`,
      (at) => {
        const who = targetsOf(users);
        const ip = attackIp(network(id));
        const ts: number[] = [];
        who.forEach((user, u) => {
          for (let i = 0; i < failures; i++) {
            ts.push(at + u * 10 * MINUTE + i * MINUTE);
            fail(ts.at(-1)!, user, ip);
          }
          if (successes) {
            ts.push(at + u * 10 * MINUTE + failures * MINUTE + 30_000);
            succeed(ts.at(-1)!, user, ip);
          }
        });
        return { users: who.map((u) => u.email), ips: [ip], ...span(ts) };
      },
    );

  // impossible_travel: the user at home, and someone with their code far away soon after.
  for (const [where, minutes] of [
    ['ru-beeline', 10],
    ['cn-telecom', 60],
    ['br-claro', 180],
    ['pl-orange', 25],
  ] as const)
    plan(
      'impossible_travel',
      `success at home, then from ${network(where).country} ${minutes} min later`,
      (at) => {
        const far = network(where);
        const [user] = targetsOf(1, (u) =>
          where === 'pl-orange'
            ? u.country === 'DE' || u.country === 'FR'
            : distanceKm(u.homeNet, far) > 5000,
        );
        const ip = attackIp(far);
        succeed(at, user!, user!.home);
        succeed(at + minutes * MINUTE, user!, ip);
        return {
          users: [user!.email],
          ips: [user!.home, ip],
          start: at,
          end: at + minutes * MINUTE,
        };
      },
    );

  // admin_takeover_signals: mass resets by an admin's session, org 2FA off, persistence.
  for (const [n, minutes] of [
    [5, 40],
    [12, 10],
    [50, 5],
  ] as const)
    plan(
      'admin_takeover_signals',
      `an admin resets ${scale(n)} users' 2FA in ${minutes} min`,
      (at) => {
        const admin = pick(admins);
        const ip = attackIp(pick(attackNets.hosting));
        const who = targetsOf(scale(n));
        const ts = who.map((user, i) => {
          const t = at + (i * minutes * MINUTE) / who.length;
          add(TWO_FACTOR_RESET, t, user, ip, AGENT, null, {
            wasActive: true,
            actorId: admin.id,
            actorEmail: admin.email,
          });
          return t;
        });
        return { users: [admin.email, ...who.map((u) => u.email)], ips: [ip], ...span(ts) };
      },
    );
  plan('admin_takeover_signals', 'org 2FA turned off', (at) => {
    const admin = pick(admins);
    const ip = attackIp(pick(attackNets.hosting));
    add(ORG_SETTINGS_CHANGED, at, admin, ip, AGENT, null, {
      changed: ['enabled'],
      changes: { enabled: { from: true, to: false } },
    });
    add(ORG_SETTINGS_CHANGED, at + 30 * MINUTE, admin, admins.at(-1)!.home, AGENT, null, {
      changed: ['enabled'],
      changes: { enabled: { from: false, to: true } },
    });
    return { users: [admin.email], ips: [ip], start: at, end: at };
  });
  for (const [type, minutes] of [
    [TWO_FACTOR_DISABLED, 10],
    [BACKUP_CODES_REGENERATED, 45],
  ] as const)
    plan(
      'admin_takeover_signals',
      `${type.split('.').slice(-2).join('.')} ${minutes} min after a success from a new network`,
      (at) => {
        const [user] = targetsOf(1);
        const ip = attackIp(pick(attackNets.hosting));
        succeed(at, user!, ip);
        add(
          type,
          at + minutes * MINUTE,
          user!,
          ip,
          AGENT,
          null,
          type === TWO_FACTOR_DISABLED ? { by: 'self' } : {},
        );
        return { users: [user!.email], ips: [ip], start: at, end: at + minutes * MINUTE };
      },
    );

  // ip_spray: one address failing for more than 10 users within 5 minutes.
  for (const [n, minutes] of [
    [11, 4.5],
    [30, 3],
    [200, 5],
  ] as const)
    plan('ip_spray', `one address, ${scale(n)} users in ${minutes} min`, (at) => {
      const who = targetsOf(scale(n));
      const ip = attackIp(pick([...attackNets.hosting, ...attackNets.abroad]));
      const ts = who.map((user, i) => {
        const t = at + (i * minutes * MINUTE) / who.length;
        fail(t, user, ip, ATTACK_AGENT);
        return t;
      });
      return { users: who.map((u) => u.email), ips: [ip], ...span(ts) };
    });

  // distributed_spray: many users from many addresses (a residential proxy pool) in 5 minutes.
  for (const n of [22, 60, 300])
    plan('distributed_spray', `${scale(n)} users from ${scale(n)} addresses in 4 min`, (at) => {
      const who = targetsOf(scale(n));
      const ips: string[] = [];
      const ts = who.map((user, i) => {
        const ip = attackIp(pick(networks.filter((net) => net.role === 'home')));
        ips.push(ip);
        const t = at + (i * 4 * MINUTE) / who.length;
        fail(t, user, ip, ATTACK_AGENT);
        return t;
      });
      return { users: who.map((u) => u.email), ips, ...span(ts) };
    });

  // lockout_storm: several accounts locked within minutes.
  for (const [n, type] of [
    [3, SIGNIN_LOCKED],
    [8, SIGNIN_LOCKED],
    [25, TWO_FACTOR_LOCKED],
  ] as const)
    plan(
      'lockout_storm',
      `${scale(n)} accounts locked (${type.split('.').slice(-2).join('.')}) in 4 min`,
      (at) => {
        const who = targetsOf(scale(n));
        const ip = attackIp(pick(attackNets.hosting));
        const ts: number[] = [];
        who.forEach((user, i) => {
          const t = at + (i * 4 * MINUTE) / who.length;
          for (let f = 0; f < 5; f++) {
            if (type === SIGNIN_LOCKED)
              add(SIGNIN_FAILED, t + f * 1000, user, ip, ATTACK_AGENT, null, {
                reason: 'wrong_password',
              });
            else fail(t + f * 1000, user, ip, ATTACK_AGENT);
          }
          add(type, t + 5000, user, ip, ATTACK_AGENT, null, {});
          ts.push(t, t + 5000);
        });
        return { users: who.map((u) => u.email), ips: [ip], ...span(ts) };
      },
    );

  // backup_code_burst: stolen backup codes spent one after another.
  for (const [n, hours] of [
    [3, 20],
    [5, 1],
    [10, 0.2],
  ] as const)
    plan('backup_code_burst', `${n} backup codes in ${hours} h`, (at) => {
      const [user] = targetsOf(1);
      const ip = attackIp(pick(attackNets.hosting));
      const ts = Array.from({ length: n }, (_, i) => at + (i * hours * HOUR) / n);
      for (const t of ts) add(VERIFY_SUCCESS, t, user!, ip, ATTACK_AGENT, 'backup_code');
      return { users: [user!.email], ips: [ip], ...span(ts) };
    });

  // Spread over the window (after its first day), in a shuffled order, at any hour.
  const order = faker.helpers.shuffle(plans);
  const slot = ((options.days - 2) * DAY) / order.length;
  order.forEach((p, i) => {
    const at = windowStart + DAY + i * slot + rnd() * slot * 0.5;
    attacks.push({
      id: `A${String(i + 1).padStart(2, '0')}`,
      kind: p.kind,
      label: p.label,
      ...p.run(at),
    });
  });

  events.sort((a, b) => a.ts - b.ts);
  const trusted: TrustedNetworksSettings = {
    networks: networks
      .filter((net) => net.role === 'office' || net.role === 'vpn')
      .map((net) => ({ value: net.prefix, label: net.id })),
    ordinaryPercent: 0,
  };
  return {
    users: options.users,
    windowStart,
    end,
    days: options.days,
    historyDays,
    events,
    locations,
    attacks: attacks.sort((a, b) => a.kind.localeCompare(b.kind) || a.start - b.start),
    benign,
    trusted,
  };
}
