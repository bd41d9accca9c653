import { describe, expect, it } from 'vitest';
import { VERIFY_FAILED } from '../../../../shared/audit-events';
import { describeFilter, readView, writeView, type AuditView } from './audit-filters';

const NOW = Date.parse('2026-03-10T12:00:30Z');

describe('readView / writeView (the audit page described by its URL)', () => {
  it('opens on the last 30 days, anchored at the next whole minute', () => {
    const view = readView(new URLSearchParams(''), NOW);
    expect(view.range).toBe('30d');
    expect(view.filter).toEqual({ since: '2026-02-08T12:01:00.000Z' });
  });

  it('keeps every filter through a round trip, so a copied link shows the same events', () => {
    const view: AuditView = {
      range: 'custom',
      filter: {
        types: [VERIFY_FAILED, 'com.alaigned.auth.signin.failed'],
        email: 'ada@acme.test',
        userId: 'u-1',
        ip: '203.0.113.0/24',
        country: 'DE',
        method: 'backup_code',
        outcome: 'failure',
        unresolved: true,
        since: '2026-03-01T00:00:00.000Z',
        until: '2026-03-08T00:00:00.000Z',
        text: 'python-requests',
        weekday: 0,
        hour: 23,
        tzOffsetMinutes: -300,
      },
    };
    expect(readView(writeView(view), NOW)).toEqual(view);
  });

  it('leaves a preset range out of the URL, so a reload moves it to the present', () => {
    const params = writeView({
      range: '24h',
      filter: { since: '2020-01-01T00:00:00.000Z', until: '2020-01-02T00:00:00.000Z' },
    });
    expect(params.has('since')).toBe(false);
    expect(params.has('until')).toBe(false);
    expect(readView(params, NOW).filter).toEqual({ since: '2026-03-09T12:01:00.000Z' });
  });

  it('reads "all time" without any time bound', () => {
    expect(readView(new URLSearchParams('range=all&since=2026-01-01T00:00:00Z'), NOW)).toEqual({
      range: 'all',
      filter: {},
    });
  });

  it('takes a link with only since as a custom range', () => {
    const view = readView(new URLSearchParams('since=2026-03-01T00:00:00.000Z'), NOW);
    expect(view).toEqual({ range: 'custom', filter: { since: '2026-03-01T00:00:00.000Z' } });
  });

  it('ignores values an edited link makes up instead of sending them to main', () => {
    const view = readView(
      new URLSearchParams('range=1y&method=sms&outcome=maybe&hour=noon&weekday=2.5&unresolved=yes'),
      NOW,
    );
    expect(view.range).toBe('30d');
    expect(view.filter).toEqual({ since: '2026-02-08T12:01:00.000Z' });
  });

  it('keeps 0 (Sunday, midnight) but drops empty text', () => {
    const params = writeView({ range: 'all', filter: { weekday: 0, hour: 0, email: '' } });
    expect(params.toString()).toBe('range=all&weekday=0&hour=0');
  });
});

describe('describeFilter', () => {
  it('says nothing for no filter', () => {
    expect(describeFilter({})).toBe('');
  });

  it('names each filter, event types without their namespace', () => {
    expect(
      describeFilter({ types: [VERIFY_FAILED, 'custom.event'], ip: '10.0.0.1', unresolved: true }),
    ).toBe('types=auth.2fa.verify.failed|custom.event, ip=10.0.0.1, unresolved=true');
  });
});
