import { describe, expect, it } from 'vitest';
import { greatCircleKm, KM_PER_DEGREE } from './great-circle';

describe('great-circle distance', () => {
  it('measures known city pairs (Berlin–Paris 878 km, Berlin–São Paulo 10,253 km)', () => {
    const berlin = { latitude: 52.52, longitude: 13.405 };
    const paris = { latitude: 48.8566, longitude: 2.3522 };
    const saoPaulo = { latitude: -23.5505, longitude: -46.6333 };
    expect(greatCircleKm(berlin, paris)).toBeCloseTo(878, -1);
    expect(Math.round(greatCircleKm(berlin, saoPaulo))).toBe(10_253);
    expect(greatCircleKm(paris, paris)).toBe(0);
  });

  it('crosses the antimeridian the short way', () => {
    const a = { latitude: 0, longitude: 179.5 };
    const b = { latitude: 0, longitude: -179.5 };
    expect(greatCircleKm(a, b)).toBeCloseTo(KM_PER_DEGREE, 3);
  });
});
