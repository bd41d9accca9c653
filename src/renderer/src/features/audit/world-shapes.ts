import type { Feature, Geometry } from 'geojson';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
// Natural Earth's 1:110m countries as TopoJSON (world-atlas, ISC): bundled, so the map is offline.
import atlas from 'world-atlas/countries-110m.json';
import { alpha2Of } from './world-map';

export interface CountryShape {
  /** ISO 3166-1 alpha-2, or null for a shape no geo database names. */
  code: string | null;
  /** world-atlas's short name ("Dem. Rep. Congo"); the panel shows Intl's names instead. */
  atlasName: string;
  feature: Feature<Geometry, { name: string }>;
}

const topology = atlas as unknown as Topology<{ countries: GeometryCollection<{ name: string }> }>;

/** Every country shape of the atlas with its alpha-2 code. */
export const worldShapes: CountryShape[] = feature(
  topology,
  topology.objects.countries,
).features.map((shape) => ({
  code: alpha2Of(shape),
  atlasName: shape.properties.name,
  feature: shape,
}));
