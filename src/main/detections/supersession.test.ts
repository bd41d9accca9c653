import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FAILED, history, HOUR, MINUTE } from '../../../tests/support/history';
import { createTempApp, type TempApp } from '../../../tests/support/temp-app';
import type { Finding } from '../../shared/contract';
import { defaultPatternSettings, runDetectors } from './registry';
import { eventsWithin, withoutSuperseded } from './supersession';

const ATTACKER = '91.243.85.7';
const DAY = 24 * HOUR;

const finding = (kind: string, filter: Finding['filter'], ips: string[]): Finding => ({
  id: kind,
  kind,
  severity: 'medium',
  title: kind,
  users: [],
  ips,
  countries: [],
  asns: [],
  start: '2026-01-01T00:00:00.000Z',
  end: '2026-01-01T00:05:00.000Z',
  count: 1,
  why: '',
  action: '',
  remedies: [],
  filter,
});

describe('supersession: one finding per attack', () => {
  const since = '2026-01-01T00:00:00.000Z';
  const until = '2026-01-01T00:05:00.000Z';
  const spray = finding(
    'ip_spray',
    { types: [FAILED], unresolved: true, ip: ATTACKER, since, until },
    [ATTACKER],
  );

  it('a general finding lies within a specific one when its filter asks no less on every term', () => {
    const network = finding(
      'coordinated',
      { types: [FAILED], unresolved: true, ip: '91.243.85.0/24', since, until },
      [ATTACKER],
    );
    expect(eventsWithin(network, spray)).toBe(true);
    // Another address of the network, a wider time, typos included: not within.
    expect(eventsWithin({ ...network, ips: [ATTACKER, '91.243.85.8'] }, spray)).toBe(false);
    const earlier = { ...network.filter, since: '2025-12-31T23:00:00.000Z' };
    expect(eventsWithin({ ...network, filter: earlier }, spray)).toBe(false);
    const typos = { ...network.filter, unresolved: undefined };
    expect(eventsWithin({ ...network, filter: typos }, spray)).toBe(false);
    // A user's failures, all unresolved, from the address within the spray's minutes: within.
    const user = finding(
      'user_failures',
      { types: [FAILED], unresolved: true, userId: 'u1', since, until },
      [ATTACKER],
    );
    expect(eventsWithin(user, spray)).toBe(true);
    expect(eventsWithin(spray, user)).toBe(false);
    // A narrower term of the outer filter the inner one lacks: not shown to be within.
    expect(eventsWithin(user, { ...spray, filter: { ...spray.filter, country: 'RU' } })).toBe(
      false,
    );
    expect(eventsWithin(user, { ...spray, filter: { ...spray.filter, method: 'totp' } })).toBe(
      false,
    );
  });

  it('hides only kinds the specific detector supersedes', () => {
    const user = finding('user_failures', { types: [FAILED], unresolved: true, since, until }, [
      ATTACKER,
    ]);
    const country = finding('new_country', { types: [FAILED], unresolved: true, since, until }, [
      ATTACKER,
    ]);
    const supersedes = new Map([['ip_spray', ['user_failures']]]);
    expect(withoutSuperseded([user, spray, country], supersedes)).toEqual([
      { ...spray, why: ' Also: user_failures.' },
      country,
    ]);
  });

  it('an attack finding absorbs location findings on the same accounts, addresses and minutes, and keeps their severity', () => {
    const attack = { ...finding('user_failures', {}, [ATTACKER]), users: ['ana@acme.test'] };
    const country = {
      ...finding('new_country', {}, [ATTACKER]),
      users: ['ana@acme.test'],
      severity: 'high' as const,
      title: 'ana@acme.test verified from a country new for them: Luxembourg',
      end: '2026-01-01T00:04:00.000Z',
    };
    const absorbs = new Map([['user_failures', ['new_country']]]);
    const [kept, ...rest] = withoutSuperseded([attack, country], new Map(), absorbs);
    expect(rest).toEqual([]);
    expect(kept).toMatchObject({
      kind: 'user_failures',
      severity: 'high',
      why: ' Also: ana@acme.test verified from a country new for them: Luxembourg.',
    });
    // Another user, another address, or later than the attack: a finding of its own.
    for (const other of [
      { ...country, users: ['ana@acme.test', 'ben@acme.test'] },
      { ...country, ips: [ATTACKER, '45.133.5.19'] },
      { ...country, end: '2026-01-01T00:06:00.000Z' },
    ])
      expect(withoutSuperseded([attack, other], new Map(), absorbs)).toHaveLength(2);
    // Only the kinds it names.
    expect(withoutSuperseded([attack, country], new Map(), new Map())).toHaveLength(2);
  });
});

describe('supersession over every detector (runDetectors, default settings)', () => {
  let temp: TempApp;
  let now: number;
  beforeEach(async () => {
    temp = await createTempApp();
    now = temp.clock.now();
  });
  afterEach(() => temp.close());

  const run = () =>
    runDetectors(temp.app.db, { sinceMs: now - 90 * DAY, untilMs: now }, defaultPatternSettings);

  it('a spray from one address is one ip_spray finding, not also coordinated and user_failures', async () => {
    const h = history();
    // 25 users within minutes, each tried 5 times: a network spray and a burst (coordinated),
    // and 25 runs of failures (user_failures), all of the same events.
    for (let round = 0; round < 5; round++)
      for (let i = 0; i < 25; i++)
        h.fail(now - 3 * HOUR + round * 40_000 + i * 1_000, `sprayed${i}`, ATTACKER);
    await h.writeTo(temp.app);
    const findings = await run();
    expect(findings.map((f) => f.kind)).toEqual(['ip_spray']);
    expect(findings[0]).toMatchObject({ count: 125, severity: 'high' });
    expect(findings[0]!.users).toHaveLength(25);
  });

  it('keeps what lies outside the spray: a user failing from elsewhere at the same time', async () => {
    const h = history();
    for (let i = 0; i < 12; i++) h.fail(now - 3 * HOUR + i * 10_000, `sprayed${i}`, ATTACKER);
    for (let i = 0; i < 5; i++) h.fail(now - 3 * HOUR + i * 30_000, 'elsewhere', '198.51.100.9');
    await h.writeTo(temp.app);
    expect((await run()).map((f) => f.kind).sort()).toEqual(['ip_spray', 'user_failures']);
  });

  it('a slow spray from one address is found at default settings, once', async () => {
    const h = history();
    for (let hour = 0; hour < 4; hour++)
      for (let i = 0; i < 30; i++)
        h.fail(now - 10 * HOUR + hour * HOUR + i * 2 * MINUTE, `slow${i}`, ATTACKER);
    await h.writeTo(temp.app);
    const findings = await run();
    expect(findings.map((f) => f.kind)).toEqual(['ip_spray']);
    expect(findings[0]!.count).toBe(120);
  });

  it('a spray from many addresses is one distributed_spray finding, not also a burst', async () => {
    const h = history();
    for (let i = 0; i < 25; i++) h.fail(now - 3 * HOUR + i * 5_000, `target${i}`, `203.0.113.${i}`);
    await h.writeTo(temp.app);
    expect((await run()).map((f) => f.kind)).toEqual(['distributed_spray']);
  });
});
