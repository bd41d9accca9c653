import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../../shared/contract';
import {
  countryLabel,
  groupBySeverity,
  resetTarget,
  summarize,
  timeSpan,
  trustOptions,
} from './findings';

const finding = (overrides: Partial<Finding>): Finding => ({
  id: 'f',
  kind: 'user_failures',
  severity: 'medium',
  title: 't',
  users: ['mia@acme.test'],
  ips: ['203.0.113.9'],
  countries: [],
  asns: [],
  start: '2026-03-02T10:00:00.000Z',
  end: '2026-03-02T10:12:00.000Z',
  count: 7,
  why: 'why',
  action: 'action',
  remedies: [],
  filter: {},
  ...overrides,
});

describe('the findings panel’s groups', () => {
  it('groups by severity, high first, the most recent first within a group, none empty', () => {
    const groups = groupBySeverity([
      finding({ id: 'low', severity: 'low' }),
      finding({ id: 'old-high', severity: 'high', end: '2026-03-01T00:00:00.000Z' }),
      finding({ id: 'new-high', severity: 'high', end: '2026-03-05T00:00:00.000Z' }),
    ]);
    expect(groups.map((g) => [g.severity, g.findings.map((f) => f.id)])).toEqual([
      ['high', ['new-high', 'old-high']],
      ['low', ['low']],
    ]);
    expect(groupBySeverity([])).toEqual([]);
  });
});

describe('what a finding offers', () => {
  it('a 2FA reset only for exactly one user, and only when the detector offers it', () => {
    expect(resetTarget(finding({ remedies: ['reset_two_factor'] }))).toBe('mia@acme.test');
    expect(
      resetTarget(finding({ remedies: ['reset_two_factor'], users: ['a@x.test', 'b@x.test'] })),
    ).toBeNull();
    expect(resetTarget(finding({ remedies: ['trust_network'] }))).toBeNull();
  });

  it('trusting its network block and each autonomous system', () => {
    expect(
      trustOptions(
        finding({
          remedies: ['trust_network'],
          filter: { ip: '45.133.5.0/24' },
          asns: [13335, 64500],
        }),
      ).map((o) => o.value),
    ).toEqual(['45.133.5.0/24', 'AS13335', 'AS64500']);
    // A single address is not a network to trust; without the remedy, nothing.
    expect(
      trustOptions(finding({ remedies: ['trust_network'], filter: { ip: '45.133.5.9' } })),
    ).toEqual([]);
    expect(trustOptions(finding({ filter: { ip: '45.133.5.0/24' }, asns: [1] }))).toEqual([]);
  });
});

describe('labels', () => {
  it('names countries by ISO code and English name, without flags', () => {
    expect(countryLabel('DE')).toBe('Germany (DE)');
    expect(countryLabel('BR')).toBe('Brazil (BR)');
    expect(countryLabel('ZZ')).toBe('Unknown Region (ZZ)');
    expect(countryLabel('not a code')).toBe('not a code');
  });

  it('writes a span’s date once when it starts and ends on the same day', () => {
    const sameDay = timeSpan('2026-03-02T12:00:00.000Z', '2026-03-02T12:12:00.000Z');
    expect(sameDay.match(/2026/g)).toHaveLength(1);
    const twoDays = timeSpan('2026-03-02T12:00:00.000Z', '2026-03-05T12:00:00.000Z');
    expect(twoDays.match(/2026/g)).toHaveLength(2);
    expect(timeSpan('2026-03-02T12:00:00.000Z', '2026-03-02T12:00:00.000Z')).not.toContain('–');
  });

  it('summarizes long lists', () => {
    expect(summarize(['a', 'b', 'c'], 3)).toBe('a, b, c');
    expect(summarize(['a', 'b', 'c', 'd', 'e'], 2)).toBe('a, b and 3 more');
  });
});
