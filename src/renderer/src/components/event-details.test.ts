import { describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../../shared/contract';
import { detailsSummary, shortEventType } from './event-details';

const event = (over: Partial<AuditEvent>): AuditEvent => ({
  id: 1,
  type: 'com.alaigned.auth.2fa.verify.failed',
  timestamp: '2026-03-10T12:00:00.000Z',
  userId: null,
  email: null,
  ip: null,
  userAgent: null,
  method: null,
  details: {},
  source: null,
  ...over,
});

describe('detailsSummary', () => {
  it('puts details on one line as key: value pairs, objects as JSON', () => {
    expect(detailsSummary(event({ details: { reason: 'wrong_code', n: 3, changed: ['a'] } }))).toBe(
      'reason: wrong_code · n: 3 · changed: ["a"]',
    );
  });

  it('is empty for no details', () => {
    expect(detailsSummary(event({}))).toBe('');
  });

  it('says a cut value was cut, with its size, before its start', () => {
    const cut = event({ truncated: { details: { bytes: 123456, preview: '{"blob":"aaa' } } });
    expect(detailsSummary(cut)).toMatch(/^\[cut: 123.456 bytes\] \{"blob":"aaa$/);
  });
});

describe('shortEventType', () => {
  it('drops the shared namespace, and only that', () => {
    expect(shortEventType('com.alaigned.auth.2fa.verify.failed')).toBe('auth.2fa.verify.failed');
    expect(shortEventType('org.example.com.alaigned.x')).toBe('org.example.com.alaigned.x');
  });
});
