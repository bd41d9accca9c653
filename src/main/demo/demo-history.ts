import { randomUUID } from 'node:crypto';
import { base, en, Faker } from '@faker-js/faker';
import type { Role } from '../../shared/domain';
import { VERIFY_FAILED, VERIFY_SUCCESS } from '../../shared/audit-events';
import { canonicalJson } from '../audit/audit-chain';
import type { HistoricalEvent } from '../audit/audit.service';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export interface DemoUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  /** When the user completed 2FA setup, if they did. */
  enrolledAt: number | null;
  backupCodesUsed: number;
  lastVerifiedAt: number | null;
  lastMethod: 'totp' | 'backup_code' | null;
}

export interface DemoHistory {
  users: DemoUser[];
  events: HistoricalEvent[];
  /** Where each pattern was planted, for people (and tests) to check the findings against. */
  planted: {
    userFailures: { email: string; start: number; failures: number };
    newNetwork: { email: string; network: string; at: number };
    coordinated: { start: number; users: number; network: string };
  };
  enabledAt: number;
  requiredAt: number;
}

const SOURCE = 'seed-demo';

/** Where a demo address is: what the seed records in ip_locations where the geo data is silent. */
export interface DemoLocation {
  internal: boolean;
  country: string | null;
  asn: number | null;
  latitude: number | null;
  longitude: number | null;
}

/** The offices' networks: documentation ranges, so internal, like a real office's private range. */
const OFFICE_NETWORKS = ['198.51.100', '203.0.113', '192.0.2'];

/** Home ISPs' /24s (public ranges of those ISPs), weighted by how many people live there. */
const HOME_NETWORKS: Array<{ prefix: string; weight: number } & Omit<DemoLocation, 'internal'>> = [
  { prefix: '85.214.132', weight: 4, country: 'DE', asn: 6724, latitude: 52.52, longitude: 13.4 },
  { prefix: '79.200.14', weight: 4, country: 'DE', asn: 3320, latitude: 50.11, longitude: 8.68 },
  { prefix: '87.150.201', weight: 3, country: 'DE', asn: 3320, latitude: 48.14, longitude: 11.58 },
  { prefix: '91.64.87', weight: 3, country: 'DE', asn: 3209, latitude: 53.55, longitude: 9.99 },
  { prefix: '90.12.53', weight: 2, country: 'FR', asn: 3215, latitude: 48.86, longitude: 2.35 },
  { prefix: '86.150.22', weight: 2, country: 'GB', asn: 2856, latitude: 51.51, longitude: -0.13 },
  { prefix: '88.12.40', weight: 1, country: 'ES', asn: 3352, latitude: 40.42, longitude: -3.7 },
  { prefix: '73.92.16', weight: 2, country: 'US', asn: 7922, latitude: 37.77, longitude: -122.42 },
  { prefix: '126.77.9', weight: 1, country: 'JP', asn: 17676, latitude: 35.68, longitude: 139.69 },
  { prefix: '49.37.12', weight: 1, country: 'IN', asn: 55836, latitude: 19.08, longitude: 72.88 },
];

/** The planted attacks' networks, placed for the demo (a real geo database overrides these). */
const ATTACK_NETWORKS: Array<{ prefix: string } & Omit<DemoLocation, 'internal'>> = [
  { prefix: '185.220.101', country: 'DE', asn: null, latitude: null, longitude: null },
  { prefix: '45.133.5', country: 'NL', asn: null, latitude: 52.37, longitude: 4.9 },
  { prefix: '91.243.85', country: 'RU', asn: null, latitude: 55.76, longitude: 37.62 },
];

/** Where the demo history's address `ip` is, or null for one it does not place. */
export function demoLocationOf(ip: string): DemoLocation | null {
  const prefix = ip.split('.').slice(0, 3).join('.');
  if (OFFICE_NETWORKS.includes(prefix) || ip.startsWith('2001:db8:'))
    return { internal: true, country: null, asn: null, latitude: null, longitude: null };
  const known = [...HOME_NETWORKS, ...ATTACK_NETWORKS].find((network) => network.prefix === prefix);
  if (!known) return null;
  const { country, asn, latitude, longitude } = known;
  return { internal: false, country, asn, latitude, longitude };
}

/**
 * A realistic org history: 2FA switched on, people enrolling through the rollout, required
 * halfway, daily sign-ins from each person's usual networks in working hours, the odd typo
 * followed by the right code, and each of the guide's three attack patterns planted once.
 * Deterministic for a given seed and end time.
 */
export function generateDemoHistory(options: {
  users: number;
  days: number;
  seed: number;
  now: number;
  admin: { id: string; email: string };
  domain?: string;
}): DemoHistory {
  const faker = new Faker({ locale: [en, base] });
  faker.seed(options.seed);
  const domain = options.domain ?? 'demo-corp.test';
  const start = Math.floor((options.now - options.days * DAY) / DAY) * DAY;
  const enabledAt = start + 9 * HOUR;
  const requiredAt = start + Math.floor(options.days * 0.5) * DAY + 9 * HOUR;
  const events: HistoricalEvent[] = [];
  const event = (
    type: string,
    ts: number,
    user: { id: string; email: string } | null,
    ip: string,
    userAgent: string,
    method: 'totp' | 'backup_code' | null = null,
    details: Record<string, unknown> = {},
  ) =>
    events.push({
      type,
      ts,
      userId: user?.id ?? null,
      email: user?.email ?? null,
      ip,
      userAgent,
      method,
      details: canonicalJson(details),
      source: SOURCE,
    });

  // Offices (documentation ranges: internal) and home ISPs' networks in a few countries, most
  // of the staff near the head office.
  const officeNetworks = OFFICE_NETWORKS;
  const homeNetworks = HOME_NETWORKS.flatMap((home) =>
    Array.from({ length: home.weight }, () => home.prefix),
  );
  const ipIn = (network: string) => `${network}.${faker.number.int({ min: 2, max: 254 })}`;
  const adminIp = '198.51.100.10';
  const adminUa = 'Mozilla/5.0 (X11; Linux x86_64) Chrome/150.0 Safari/537.36';

  event(
    'com.alaigned.organization.2fa.settings_changed',
    enabledAt,
    options.admin,
    adminIp,
    adminUa,
    null,
    {
      changed: ['enabled'],
      changes: { enabled: { from: false, to: true } },
    },
  );
  event(
    'com.alaigned.organization.2fa.settings_changed',
    requiredAt,
    options.admin,
    adminIp,
    adminUa,
    null,
    {
      changed: ['required'],
      changes: { required: { from: false, to: true } },
    },
  );

  const used = new Set<string>();
  const users: Array<DemoUser & { home: string; office: string; ua: string; v6: boolean }> = [];
  for (let i = 0; i < options.users; i++) {
    const first = faker.person.firstName();
    const last = faker.person.lastName();
    let email = `${first}.${last}`.toLowerCase().replace(/[^a-z.]/g, '') + `@${domain}`;
    for (let n = 2; used.has(email); n++)
      email = `${first}.${last}${n}`.toLowerCase().replace(/[^a-z0-9.]/g, '') + `@${domain}`;
    used.add(email);
    // Most enroll during the optional phase, a rush just before the requirement, stragglers after.
    const r = faker.number.float();
    const enrollDay =
      r < 0.55
        ? faker.number.int({ min: 1, max: Math.floor(options.days * 0.45) })
        : r < 0.85
          ? faker.number.int({
              min: Math.floor(options.days * 0.45),
              max: Math.floor(options.days * 0.5),
            })
          : r < 0.95
            ? faker.number.int({
                min: Math.floor(options.days * 0.5),
                max: Math.floor(options.days * 0.6),
              })
            : null;
    const enrolledAt =
      enrollDay === null
        ? null
        : start + enrollDay * DAY + faker.number.int({ min: 8 * HOUR, max: 17 * HOUR });
    users.push({
      id: randomUUID(),
      email,
      name: `${first} ${last}`,
      role: i % 50 === 0 ? 'site_admin' : 'member',
      enrolledAt,
      backupCodesUsed: 0,
      lastVerifiedAt: null,
      lastMethod: null,
      home: faker.helpers.arrayElement(homeNetworks),
      office: faker.helpers.arrayElement(officeNetworks),
      ua: faker.internet.userAgent(),
      v6: faker.number.float() < 0.1,
    });
  }

  const verify = (user: (typeof users)[number], ts: number, ip: string) => {
    const backup = faker.number.float() < 0.01 && user.backupCodesUsed < 10;
    const method = backup ? 'backup_code' : 'totp';
    if (faker.number.float() < 0.03) {
      // A typo, then the right code a little later.
      event(VERIFY_FAILED, ts, user, ip, user.ua, 'totp', {
        reason: 'wrong_code',
        purpose: 'sign_in',
      });
      ts += faker.number.int({ min: 15_000, max: 70_000 });
    }
    if (backup) user.backupCodesUsed++;
    event(VERIFY_SUCCESS, ts, user, ip, user.ua, method, { purpose: 'sign_in' });
    user.lastVerifiedAt = ts;
    user.lastMethod = method;
  };

  for (const user of users) {
    if (user.enrolledAt !== null) {
      event(VERIFY_SUCCESS, user.enrolledAt - 20_000, user, ipIn(user.office), user.ua, 'totp', {
        purpose: 'setup',
      });
      event(
        'com.alaigned.auth.2fa.enabled',
        user.enrolledAt,
        user,
        ipIn(user.office),
        user.ua,
        'totp',
        { backupCodesIssued: 10 },
      );
    }
    // People sign in from home as well as the office from their first week on, so home is part
    // of their baseline rather than "new" weeks later.
    const firstHomeDay =
      user.enrolledAt === null ? -1 : Math.floor((user.enrolledAt - start) / DAY) + 1;
    for (let day = 0; day < options.days; day++) {
      const dayStart = start + day * DAY;
      const weekday = new Date(dayStart).getUTCDay();
      const working = weekday !== 0 && weekday !== 6;
      if (day !== firstHomeDay && faker.number.float() > (working ? 0.75 : 0.12)) continue;
      const sessions = faker.number.int({ min: 1, max: 2 });
      for (let s = 0; s < sessions; s++) {
        const ts =
          dayStart +
          faker.number.int({ min: (working ? 8 : 10) * HOUR, max: (working ? 18 : 20) * HOUR });
        const fromHome =
          !working || (day === firstHomeDay && s === 0) || faker.number.float() < 0.25;
        const ip = user.v6
          ? `2001:db8:${user.home.split('.')[1]}::${faker.number.int({ min: 1, max: 9999 }).toString(16)}`
          : ipIn(fromHome ? user.home : user.office);
        event('com.alaigned.auth.signin.success', ts - 5_000, user, ip, user.ua, null, {
          secondFactorRequired: user.enrolledAt !== null && ts > user.enrolledAt,
        });
        if (user.enrolledAt !== null && ts > user.enrolledAt) verify(user, ts, ip);
      }
    }
  }

  // Pattern 1: one person's account hammered with wrong codes: a stolen password.
  const enrolled = users.filter(
    (u) => u.enrolledAt !== null && u.enrolledAt < start + options.days * 0.4 * DAY,
  );
  const victim = enrolled[3 % enrolled.length]!;
  const attackStart = start + (options.days - 6) * DAY + 2 * HOUR + 17 * MINUTE;
  const attackerIps = ['185.220.101.23', '185.220.101.77'];
  for (let i = 0; i < 14; i++) {
    event(
      VERIFY_FAILED,
      attackStart + i * faker.number.int({ min: 60_000, max: 120_000 }),
      victim,
      attackerIps[i % 2]!,
      'python-requests/2.32',
      'totp',
      {
        reason: 'wrong_code',
        purpose: 'sign_in',
      },
    );
  }

  // Pattern 2: an established user verifying from a network they never used.
  const traveller = enrolled[7 % enrolled.length]!;
  const newNetworkAt = start + (options.days - 3) * DAY + 14 * HOUR;
  event(
    VERIFY_FAILED,
    newNetworkAt,
    traveller,
    '45.133.5.19',
    'Mozilla/5.0 (Windows NT 10.0) Firefox/133.0',
    'totp',
    {
      reason: 'wrong_code',
      purpose: 'sign_in',
    },
  );
  event(
    VERIFY_SUCCESS,
    newNetworkAt + 40_000,
    traveller,
    '45.133.5.19',
    'Mozilla/5.0 (Windows NT 10.0) Firefox/133.0',
    'totp',
    { purpose: 'sign_in' },
  );

  // Pattern 3: many accounts failing within minutes from one network: a coordinated attack.
  const sprayAt = start + (options.days - 10) * DAY + 3 * HOUR + 5 * MINUTE;
  const targets = faker.helpers.arrayElements(enrolled, Math.min(45, enrolled.length));
  targets.forEach((target, i) => {
    event(
      VERIFY_FAILED,
      sprayAt + i * 7_000,
      target,
      `91.243.85.${10 + (i % 6)}`,
      'curl/8.5.0',
      'totp',
      {
        reason: 'wrong_code',
        purpose: 'sign_in',
      },
    );
  });

  events.sort((a, b) => a.ts - b.ts);
  return {
    users: users.map(
      ({ id, email, name, role, enrolledAt, backupCodesUsed, lastVerifiedAt, lastMethod }) => ({
        id,
        email,
        name,
        role,
        enrolledAt,
        backupCodesUsed,
        lastVerifiedAt,
        lastMethod,
      }),
    ),
    events: events.filter((e) => e.ts <= options.now),
    planted: {
      userFailures: { email: victim.email, start: attackStart, failures: 14 },
      newNetwork: { email: traveller.email, network: '45.133.5.0/24', at: newNetworkAt },
      coordinated: { start: sprayAt, users: targets.length, network: '91.243.85.0/24' },
    },
    enabledAt,
    requiredAt,
  };
}
