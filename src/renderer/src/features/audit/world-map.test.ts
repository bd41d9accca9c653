import { describe, expect, it } from 'vitest';
import { classLabel, classOf, failureScale } from './world-map';
import { worldShapes } from './world-shapes';

describe('the map’s failure scale', () => {
  it('puts every count from 1 to the busiest country in exactly one class, lightest first', () => {
    for (const max of [1, 2, 3, 6, 7, 14, 45, 708, 12_345]) {
      const scale = failureScale(max, 'light');
      expect(scale[0]!.min).toBe(1);
      expect(scale.at(-1)!.max).toBe(max);
      expect(scale.length).toBeLessThanOrEqual(6);
      for (let i = 1; i < scale.length; i++) expect(scale[i]!.min).toBe(scale[i - 1]!.max + 1);
      for (const n of [1, Math.ceil(max / 2), max])
        expect(scale.filter((c) => n >= c.min && n <= c.max)).toHaveLength(1);
    }
  });

  it('reads in round numbers, with no class for none', () => {
    expect(failureScale(708, 'light').map(classLabel)).toEqual([
      '1',
      '2–9',
      '10–19',
      '20–99',
      '100–199',
      '200–708',
    ]);
    expect(failureScale(3, 'dark').map(classLabel)).toEqual(['1', '2', '3']);
    expect(failureScale(0, 'light')).toEqual([]);
    expect(classOf(failureScale(45, 'light'), 0)).toBeNull();
    expect(classOf(failureScale(45, 'light'), 12)?.min).toBe(10);
  });

  it('spans the ramp from its lightest to its darkest colour whatever the number of classes', () => {
    const light = failureScale(45, 'light');
    expect(new Set(light.map((c) => c.color)).size).toBe(light.length);
    expect(light[0]!.color).toBe(failureScale(12_345, 'light')[0]!.color);
    expect(light.at(-1)!.color).toBe(failureScale(12_345, 'light').at(-1)!.color);
    expect(failureScale(1, 'dark')[0]!.color).toBe(failureScale(12_345, 'dark').at(-1)!.color);
    expect(failureScale(45, 'dark')[0]!.color).not.toBe(light[0]!.color);
  });
});

describe('world-atlas shapes by alpha-2 code', () => {
  it('names every shape with a distinct code Intl knows, deprecated codes never', () => {
    const codes = worldShapes.map((shape) => shape.code);
    expect(codes.every((code) => code !== null && /^[A-Z]{2}$/.test(code))).toBe(true);
    const names = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });
    for (const code of codes) expect(names.of(code!), code!).toBeTruthy();
    // Cyprus and Somalia are each two shapes (N. Cyprus, Somaliland): every other code once.
    expect(codes.length - new Set(codes).size).toBe(2);
    for (const old of ['DD', 'SU', 'YU', 'CS', 'UK', 'FX', 'TP', 'HV', 'DY', 'RH', 'YD', 'NH'])
      expect(codes).not.toContain(old);
  });

  it('matches the countries the geo data names', () => {
    const byName = (name: string) => worldShapes.find((shape) => shape.atlasName === name)?.code;
    expect(byName('Germany')).toBe('DE');
    expect(byName('United States of America')).toBe('US');
    expect(byName('Brazil')).toBe('BR');
    expect(byName('Russia')).toBe('RU');
    expect(byName('United Kingdom')).toBe('GB');
    expect(byName('Dem. Rep. Congo')).toBe('CD');
    expect(byName('Kosovo')).toBe('XK');
  });
});
