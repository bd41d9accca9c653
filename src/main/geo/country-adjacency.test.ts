import { describe, expect, it } from 'vitest';
import { areAdjacent, neighboursOf } from './country-adjacency';

describe('country adjacency (world-atlas land borders)', () => {
  it('knows land neighbours, both ways, including microstates', () => {
    expect(neighboursOf('FR')).toEqual(expect.arrayContaining(['BE', 'DE', 'ES', 'IT', 'MC']));
    expect(areAdjacent('de', 'AT')).toBe(true);
    expect(areAdjacent('AT', 'DE')).toBe(true);
    expect(areAdjacent('SM', 'IT')).toBe(true);
    expect(neighboursOf('US')).toEqual(['CA', 'MX']);
  });

  it('is not fooled by seas or distance, and a country is not its own neighbour', () => {
    expect(areAdjacent('GB', 'FR')).toBe(false);
    expect(areAdjacent('DE', 'BR')).toBe(false);
    expect(areAdjacent('US', 'RU')).toBe(false);
    expect(areAdjacent('FR', 'FR')).toBe(false);
    expect(neighboursOf('AU')).toEqual([]);
  });

  it('names outlines without an ISO number and the territories added by hand', () => {
    expect(neighboursOf('XK')).toEqual(expect.arrayContaining(['AL', 'ME', 'MK', 'RS']));
    expect(areAdjacent('GF', 'BR')).toBe(true);
    expect(areAdjacent('ES', 'GI')).toBe(true);
    expect(neighboursOf('ZZ')).toEqual([]);
  });
});
