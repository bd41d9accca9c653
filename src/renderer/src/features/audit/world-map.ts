/**
 * The world map's geometry and colours: pure functions, so the scale and the country codes are
 * tested without a browser.
 */

/**
 * ISO 3166-1 numeric (world-atlas's feature ids) → alpha-2 (what the geo data and the audit
 * filter use), for the 174 numbered shapes of countries-110m. Made by matching world-atlas's
 * names against Intl's region names, by hand where they differ ("Dem. Rep. Congo" → CD).
 */
const alpha2ByNumeric: Record<string, string> = {
  '004': 'AF',
  '008': 'AL',
  '010': 'AQ',
  '012': 'DZ',
  '024': 'AO',
  '031': 'AZ',
  '032': 'AR',
  '036': 'AU',
  '040': 'AT',
  '044': 'BS',
  '050': 'BD',
  '051': 'AM',
  '056': 'BE',
  '064': 'BT',
  '068': 'BO',
  '070': 'BA',
  '072': 'BW',
  '076': 'BR',
  '084': 'BZ',
  '090': 'SB',
  '096': 'BN',
  '100': 'BG',
  '104': 'MM',
  '108': 'BI',
  '112': 'BY',
  '116': 'KH',
  '120': 'CM',
  '124': 'CA',
  '140': 'CF',
  '144': 'LK',
  '148': 'TD',
  '152': 'CL',
  '156': 'CN',
  '158': 'TW',
  '170': 'CO',
  '178': 'CG',
  '180': 'CD',
  '188': 'CR',
  '191': 'HR',
  '192': 'CU',
  '196': 'CY',
  '203': 'CZ',
  '204': 'BJ',
  '208': 'DK',
  '214': 'DO',
  '218': 'EC',
  '222': 'SV',
  '226': 'GQ',
  '231': 'ET',
  '232': 'ER',
  '233': 'EE',
  '238': 'FK',
  '242': 'FJ',
  '246': 'FI',
  '250': 'FR',
  '260': 'TF',
  '262': 'DJ',
  '266': 'GA',
  '268': 'GE',
  '270': 'GM',
  '275': 'PS',
  '276': 'DE',
  '288': 'GH',
  '300': 'GR',
  '304': 'GL',
  '320': 'GT',
  '324': 'GN',
  '328': 'GY',
  '332': 'HT',
  '340': 'HN',
  '348': 'HU',
  '352': 'IS',
  '356': 'IN',
  '360': 'ID',
  '364': 'IR',
  '368': 'IQ',
  '372': 'IE',
  '376': 'IL',
  '380': 'IT',
  '384': 'CI',
  '388': 'JM',
  '392': 'JP',
  '398': 'KZ',
  '400': 'JO',
  '404': 'KE',
  '408': 'KP',
  '410': 'KR',
  '414': 'KW',
  '417': 'KG',
  '418': 'LA',
  '422': 'LB',
  '426': 'LS',
  '428': 'LV',
  '430': 'LR',
  '434': 'LY',
  '440': 'LT',
  '442': 'LU',
  '450': 'MG',
  '454': 'MW',
  '458': 'MY',
  '466': 'ML',
  '478': 'MR',
  '484': 'MX',
  '496': 'MN',
  '498': 'MD',
  '499': 'ME',
  '504': 'MA',
  '508': 'MZ',
  '512': 'OM',
  '516': 'NA',
  '524': 'NP',
  '528': 'NL',
  '540': 'NC',
  '548': 'VU',
  '554': 'NZ',
  '558': 'NI',
  '562': 'NE',
  '566': 'NG',
  '578': 'NO',
  '586': 'PK',
  '591': 'PA',
  '598': 'PG',
  '600': 'PY',
  '604': 'PE',
  '608': 'PH',
  '616': 'PL',
  '620': 'PT',
  '624': 'GW',
  '626': 'TL',
  '630': 'PR',
  '634': 'QA',
  '642': 'RO',
  '643': 'RU',
  '646': 'RW',
  '682': 'SA',
  '686': 'SN',
  '688': 'RS',
  '694': 'SL',
  '703': 'SK',
  '704': 'VN',
  '705': 'SI',
  '706': 'SO',
  '710': 'ZA',
  '716': 'ZW',
  '724': 'ES',
  '728': 'SS',
  '729': 'SD',
  '732': 'EH',
  '740': 'SR',
  '748': 'SZ',
  '752': 'SE',
  '756': 'CH',
  '760': 'SY',
  '762': 'TJ',
  '764': 'TH',
  '768': 'TG',
  '780': 'TT',
  '784': 'AE',
  '788': 'TN',
  '792': 'TR',
  '795': 'TM',
  '800': 'UG',
  '804': 'UA',
  '807': 'MK',
  '818': 'EG',
  '826': 'GB',
  '834': 'TZ',
  '840': 'US',
  '854': 'BF',
  '858': 'UY',
  '860': 'UZ',
  '862': 'VE',
  '887': 'YE',
  '894': 'ZM',
};

/**
 * Shapes world-atlas leaves without a number, by name. Kosovo has the user-assigned XK that geo
 * databases use; N. Cyprus and Somaliland are drawn where geo databases place their addresses
 * (Cyprus, Somalia), so their events colour the country the counts name.
 */
const alpha2ByName: Record<string, string> = { Kosovo: 'XK', 'N. Cyprus': 'CY', Somaliland: 'SO' };

/** The alpha-2 code of a world-atlas country shape, or null for one no geo database names. */
export function alpha2Of(feature: { id?: string | number; properties?: { name?: string } | null }) {
  const numeric = feature.id === undefined ? undefined : String(feature.id).padStart(3, '0');
  return (
    (numeric ? alpha2ByNumeric[numeric] : undefined) ??
    alpha2ByName[feature.properties?.name ?? ''] ??
    null
  );
}

/** 1, 2 or 5 times a power of ten, the nearest to `x` (x ≥ 1). */
function nice(x: number): number {
  const power = 10 ** Math.floor(Math.log10(x));
  const f = x / power;
  return (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * power;
}

export interface ScaleClass {
  /** Inclusive bounds of failed verifications. */
  min: number;
  max: number;
  color: string;
}

/** Sequential colours, lightest (fewest failures) first, readable on each theme's map. */
const ramps = {
  light: ['#ffe8cc', '#ffc078', '#ff922b', '#e8590c', '#c92a2a', '#7d1616'],
  dark: ['#5c3a1e', '#8a4b12', '#c2570c', '#f76707', '#ff8787', '#ffc9c9'],
} as const;

/**
 * Classes of failed verifications per country, up to six, on a geometric ladder of round
 * numbers up to the busiest country (1, 2–4, 5–9, …): a country with 3 failures and one with
 * 3,000 both stay visible, and the legend reads in round numbers. None: no class (neutral).
 */
export function failureScale(maxFailed: number, scheme: 'light' | 'dark'): ScaleClass[] {
  if (maxFailed < 1) return [];
  const lows = new Set<number>([1]);
  // Up to six failures each count is its own class; beyond, six round steps.
  for (let i = 1; i < 6; i++)
    lows.add(maxFailed <= 6 ? Math.min(i + 1, maxFailed) : nice(maxFailed ** (i / 6)));
  const sorted = [...lows].filter((low) => low <= maxFailed).sort((a, b) => a - b);
  const ramp = ramps[scheme];
  // Spread over the ramp so that few classes still span light to dark.
  return sorted.map((min, i) => ({
    min,
    max: i + 1 < sorted.length ? sorted[i + 1]! - 1 : maxFailed,
    color:
      ramp[
        sorted.length === 1
          ? ramp.length - 1
          : Math.round((i * (ramp.length - 1)) / (sorted.length - 1))
      ]!,
  }));
}

/** The class a count falls in, or null for none (no failures). */
export function classOf(scale: readonly ScaleClass[], failed: number): ScaleClass | null {
  return scale.find((c) => failed >= c.min && failed <= c.max) ?? null;
}

/** "1", "2–4", "1,000–2,499". */
export function classLabel(c: ScaleClass): string {
  const n = (x: number) => x.toLocaleString('en');
  return c.min === c.max ? n(c.min) : `${n(c.min)}–${n(c.max)}`;
}

/** Fills and strokes of the map that are not the scale's. */
export function mapColors(scheme: 'light' | 'dark') {
  return scheme === 'dark'
    ? { none: '#3b3d42', border: '#1f2023', selected: '#74c0fc', sea: '#25262b' }
    : { none: '#e9ecef', border: '#ffffff', selected: '#1864ab', sea: '#f8f9fa' };
}
