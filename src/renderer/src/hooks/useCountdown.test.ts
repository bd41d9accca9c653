import { describe, expect, it } from 'vitest';
import { formatSeconds } from './useCountdown';

describe('formatSeconds', () => {
  it('shows seconds alone under a minute, minutes and padded seconds above', () => {
    expect(formatSeconds(0)).toBe('0 s');
    expect(formatSeconds(59)).toBe('59 s');
    expect(formatSeconds(60)).toBe('1 min 00 s');
    expect(formatSeconds(905)).toBe('15 min 05 s');
  });
});
