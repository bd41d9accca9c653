import { describe, expect, it } from 'vitest';
import { isoTimestamp } from './iso-time';

describe('isoTimestamp', () => {
  it('writes exactly what toISOString writes, for any time including day and year edges', () => {
    const edges = [
      0,
      1,
      999,
      1000,
      86_399_999,
      86_400_000,
      Date.UTC(2024, 1, 29, 23, 59, 59, 999),
      Date.UTC(2026, 11, 31, 23, 59, 59, 999),
      Date.UTC(9999, 11, 31, 23, 59, 59, 999),
      Date.UTC(10000, 0, 1),
      -1,
      1.5,
    ];
    let ts = Date.UTC(2020, 0, 1);
    const walk: number[] = [];
    // Irregular steps through six years, in and out of order, crossing days and months.
    for (let i = 0; i < 20_000; i++) {
      ts += ((i * 7919) % 50_000_000) - (i % 5 === 0 ? 60_000_000 : 0);
      walk.push(ts);
    }
    for (const value of [...edges, ...walk])
      expect(isoTimestamp(value)).toBe(new Date(value).toISOString());
  });
});
