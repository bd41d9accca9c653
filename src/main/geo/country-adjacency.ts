import countries from 'i18n-iso-countries/index';
import { neighbors } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import atlas from 'world-atlas/countries-50m.json';

/**
 * Which countries share a land border, derived offline from Natural Earth's 1:50m countries
 * (world-atlas, public domain): two countries are neighbours when their outlines share an arc
 * (topojson-client's `neighbors`). The atlas names countries by ISO 3166-1 numeric id; geo
 * databases by alpha-2 (i18n-iso-countries maps one to the other). Impossible travel's
 * country-only rule asks it: a hop between neighbours within minutes is a border, not a flight.
 */

/** Atlas outlines without an ISO number, named as geo databases name their addresses. */
const UNNUMBERED: Record<string, string> = {
  Kosovo: 'XK',
  'N. Cyprus': 'CY',
  Somaliland: 'SO',
};

/**
 * Territories geo databases report on their own but the atlas draws as part of another country
 * (or leaves out): their land borders, added by hand.
 */
const EXTRA_BORDERS: Array<[string, string]> = [
  ['GF', 'BR'],
  ['GF', 'SR'],
  ['GF', 'FR'],
  ['GI', 'ES'],
];

let table: Map<string, Set<string>> | null = null;

function alpha2Of(geometry: { id?: string | number; properties?: { name?: string } }) {
  if (geometry.id !== undefined) return countries.numericToAlpha2(geometry.id) ?? null;
  return UNNUMBERED[geometry.properties?.name ?? ''] ?? null;
}

/** Built on first use (some 40 ms), then kept: most runs never need it. */
function adjacency(): Map<string, Set<string>> {
  if (table) return table;
  const topology = atlas as unknown as Topology<{
    countries: GeometryCollection<{ name?: string }>;
  }>;
  const geometries = topology.objects.countries.geometries;
  const codes = geometries.map(alpha2Of);
  const built = new Map<string, Set<string>>();
  const link = (a: string, b: string) => {
    if (a === b) return;
    for (const [from, to] of [
      [a, b],
      [b, a],
    ] as const) {
      const set = built.get(from) ?? new Set<string>();
      set.add(to);
      built.set(from, set);
    }
  };
  neighbors(geometries).forEach((indexes, i) => {
    const code = codes[i];
    if (!code) return;
    for (const j of indexes) {
      const other = codes[j];
      if (other) link(code, other);
    }
  });
  for (const [a, b] of EXTRA_BORDERS) link(a, b);
  table = built;
  return built;
}

/** Whether two countries (ISO alpha-2, any case) share a land border; a country is not its own. */
export function areAdjacent(a: string, b: string): boolean {
  return adjacency().get(a.toUpperCase())?.has(b.toUpperCase()) ?? false;
}

/** The land neighbours of a country (ISO alpha-2), sorted. */
export function neighboursOf(country: string): string[] {
  return [...(adjacency().get(country.toUpperCase()) ?? [])].sort();
}
