import { describe, expect, it } from 'vitest';
import { canonicalJson, chainHash, GENESIS_HASH, type ChainedContent } from './audit-chain';

const event: ChainedContent = {
  type: 'com.alaigned.auth.2fa.verify.failed',
  ts: 1_770_000_000_000,
  userId: 'u1',
  email: 'ada@acme.test',
  ip: '203.0.113.7',
  userAgent: 'Mozilla/5.0',
  method: 'totp',
  details: '{"reason":"wrong_code"}',
  source: null,
};

describe('audit chain hashing', () => {
  it('is stable for the same content and predecessor', () => {
    expect(chainHash(GENESIS_HASH, event)).toBe(chainHash(GENESIS_HASH, { ...event }));
    expect(chainHash(GENESIS_HASH, event)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('changes when any field or the predecessor changes', () => {
    const base = chainHash(GENESIS_HASH, event);
    const variants: Array<Partial<ChainedContent>> = [
      { type: 'com.alaigned.auth.2fa.verify.success' },
      { ts: event.ts + 1 },
      { userId: 'u2' },
      { email: 'eve@acme.test' },
      { ip: '203.0.113.8' },
      { userAgent: 'curl/8' },
      { method: 'backup_code' },
      { details: '{}' },
      { source: 'import.jsonl' },
    ];
    for (const change of variants)
      expect(chainHash(GENESIS_HASH, { ...event, ...change })).not.toBe(base);
    expect(chainHash('f'.repeat(64), event)).not.toBe(base);
  });

  it('does not confuse field boundaries', () => {
    const a = chainHash(GENESIS_HASH, { ...event, email: 'a', ip: 'b' });
    const b = chainHash(GENESIS_HASH, { ...event, email: 'a","b', ip: '' });
    expect(a).not.toBe(b);
  });

  it('writes details with sorted keys at every depth', () => {
    expect(canonicalJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[{"y":2,"z":1}]},"b":1}',
    );
  });
});
