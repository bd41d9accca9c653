import { describe, expect, it } from 'vitest';
import { relativeTime } from './format';

const NOW = Date.parse('2026-03-10T12:00:00Z');
const ago = (ms: number) => new Date(NOW - ms).toISOString();

describe('relativeTime', () => {
  it('says Never for a user who never verified', () => {
    expect(relativeTime(null, NOW)).toBe('Never');
  });

  it('scales from just now through minutes and hours to days', () => {
    expect(relativeTime(ago(59_000), NOW)).toBe('Just now');
    expect(relativeTime(ago(60_000), NOW)).toBe('1 min ago');
    expect(relativeTime(ago(59 * 60_000), NOW)).toBe('59 min ago');
    expect(relativeTime(ago(3 * 3600_000), NOW)).toBe('3 h ago');
    expect(relativeTime(ago(47 * 3600_000), NOW)).toBe('47 h ago');
    expect(relativeTime(ago(3 * 86_400_000), NOW)).toBe('3 d ago');
  });

  it('does not claim a time in the future happened long ago', () => {
    expect(relativeTime(new Date(NOW + 30_000).toISOString(), NOW)).toBe('Just now');
  });
});
