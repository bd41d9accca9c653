/**
 * The eval corpus's address plan: a small curated table of public prefixes announced by real
 * operators (residential ISPs, mobile carriers, hosting), each with a city's coordinates. The
 * script writes ip_locations from this table itself, so every label is exact and the eval does
 * not depend on whichever geo database is installed.
 */

export type NetworkRole = 'home' | 'mobile' | 'hosting' | 'office' | 'vpn';

export interface Network {
  id: string;
  country: string;
  asn: number;
  asOrg: string;
  /** IPv4 CIDR the addresses are drawn from. */
  prefix: string;
  role: NetworkRole;
  latitude: number;
  longitude: number;
}

export interface Country {
  code: string;
  /** Share of the org's employees living there (0 for attack-only countries). */
  share: number;
  /** Hours east of UTC, to put sign-ins in the working morning. */
  utcOffset: number;
}

export const countries: Country[] = [
  { code: 'US', share: 0.34, utcOffset: -6 },
  { code: 'CA', share: 0.05, utcOffset: -5 },
  { code: 'GB', share: 0.12, utcOffset: 0 },
  { code: 'DE', share: 0.12, utcOffset: 1 },
  { code: 'FR', share: 0.08, utcOffset: 1 },
  { code: 'NL', share: 0.05, utcOffset: 1 },
  { code: 'ES', share: 0.05, utcOffset: 1 },
  { code: 'IN', share: 0.11, utcOffset: 5 },
  { code: 'JP', share: 0.04, utcOffset: 9 },
  { code: 'AU', share: 0.04, utcOffset: 10 },
  { code: 'BR', share: 0, utcOffset: -3 },
  { code: 'RU', share: 0, utcOffset: 3 },
  { code: 'CN', share: 0, utcOffset: 8 },
  { code: 'NG', share: 0, utcOffset: 1 },
  { code: 'PL', share: 0, utcOffset: 1 },
];

const n = (
  id: string,
  country: string,
  asn: number,
  asOrg: string,
  prefix: string,
  role: NetworkRole,
  latitude: number,
  longitude: number,
): Network => ({ id, country, asn, asOrg, prefix, role, latitude, longitude });

export const networks: Network[] = [
  n('us-comcast', 'US', 7922, 'Comcast Cable', '73.0.0.0/8', 'home', 41.88, -87.63),
  n('us-att', 'US', 7018, 'AT&T Services', '99.0.0.0/10', 'home', 32.78, -96.8),
  n('us-verizon', 'US', 22394, 'Verizon Wireless', '174.192.0.0/10', 'mobile', 40.71, -74.01),
  n('us-digitalocean', 'US', 14061, 'DigitalOcean', '167.99.0.0/16', 'hosting', 40.79, -74.06),
  n(
    'us-linode',
    'US',
    63949,
    'Akamai Connected Cloud (Linode)',
    '45.79.0.0/16',
    'hosting',
    32.78,
    -96.8,
  ),
  n(
    'us-vultr',
    'US',
    20473,
    'The Constant Company (Vultr)',
    '45.77.0.0/16',
    'hosting',
    47.61,
    -122.33,
  ),
  n('ca-rogers', 'CA', 812, 'Rogers Communications', '99.224.0.0/11', 'home', 43.65, -79.38),
  n('ca-bell', 'CA', 577, 'Bell Canada', '70.48.0.0/13', 'mobile', 45.5, -73.57),
  n('gb-bt', 'GB', 2856, 'British Telecommunications', '86.128.0.0/10', 'home', 51.51, -0.13),
  n('gb-virgin', 'GB', 5089, 'Virgin Media', '82.0.0.0/11', 'home', 53.48, -2.24),
  n('gb-ee', 'GB', 12576, 'EE Limited', '31.94.0.0/16', 'mobile', 51.51, -0.13),
  n('de-telekom', 'DE', 3320, 'Deutsche Telekom', '79.192.0.0/10', 'home', 52.52, 13.4),
  n('de-vodafone', 'DE', 3209, 'Vodafone GmbH', '92.72.0.0/14', 'mobile', 48.14, 11.58),
  n('de-hetzner', 'DE', 24940, 'Hetzner Online', '88.198.0.0/16', 'hosting', 49.45, 11.08),
  n('fr-orange', 'FR', 3215, 'Orange', '90.0.0.0/9', 'home', 48.86, 2.35),
  n('fr-free', 'FR', 12322, 'Free SAS', '82.64.0.0/14', 'mobile', 45.76, 4.84),
  n('fr-ovh', 'FR', 16276, 'OVH SAS', '51.38.0.0/16', 'hosting', 50.69, 3.17),
  n('nl-kpn', 'NL', 1136, 'KPN B.V.', '77.160.0.0/12', 'home', 52.37, 4.9),
  n('nl-ziggo', 'NL', 33915, 'Vodafone Libertel (Ziggo)', '84.24.0.0/13', 'mobile', 51.92, 4.48),
  n('es-telefonica', 'ES', 3352, 'Telefonica de Espana', '83.32.0.0/11', 'home', 40.42, -3.7),
  n('in-airtel', 'IN', 24560, 'Bharti Airtel', '122.160.0.0/12', 'home', 28.61, 77.21),
  n('in-jio', 'IN', 55836, 'Reliance Jio Infocomm', '49.32.0.0/12', 'mobile', 19.08, 72.88),
  n('jp-ocn', 'JP', 4713, 'NTT Communications (OCN)', '60.32.0.0/12', 'home', 35.68, 139.69),
  n('jp-kddi', 'JP', 2516, 'KDDI Corporation', '106.128.0.0/10', 'mobile', 34.69, 135.5),
  n('au-telstra', 'AU', 1221, 'Telstra', '101.160.0.0/11', 'home', -33.87, 151.21),
  n('au-optus', 'AU', 4804, 'Optus', '49.176.0.0/12', 'mobile', -37.81, 144.96),
  n('br-claro', 'BR', 28573, 'Claro NXT', '189.0.0.0/11', 'home', -23.55, -46.63),
  n('ru-beeline', 'RU', 8402, 'PJSC Vimpelcom (Beeline)', '95.24.0.0/13', 'home', 55.76, 37.62),
  n('ru-selectel', 'RU', 49505, 'Selectel', '31.184.192.0/18', 'hosting', 59.93, 30.36),
  n('cn-telecom', 'CN', 4134, 'China Telecom', '116.224.0.0/12', 'home', 31.23, 121.47),
  n('cn-alibaba', 'CN', 45102, 'Alibaba Cloud', '47.74.0.0/15', 'hosting', 22.32, 114.17),
  n('ng-mtn', 'NG', 29465, 'MTN Nigeria', '105.112.0.0/12', 'mobile', 6.52, 3.38),
  n('pl-orange', 'PL', 5617, 'Orange Polska', '83.0.0.0/11', 'home', 52.23, 21.01),
  // Operators only the novel_asn injections use: nothing else in the corpus comes from them.
  n('nl-leaseweb', 'NL', 60781, 'LeaseWeb Netherlands', '5.79.64.0/18', 'hosting', 52.37, 4.9),
  n('us-colocrossing', 'US', 36352, 'ColoCrossing', '192.3.0.0/16', 'hosting', 42.89, -78.88),
  n('sg-tencent', 'SG', 132203, 'Tencent Cloud', '43.156.0.0/16', 'hosting', 1.29, 103.85),
  // The org's own networks: three office NATs and two VPN egress blocks (trusted).
  n('office-chicago', 'US', 7018, 'AT&T Services', '12.153.224.0/24', 'office', 41.88, -87.63),
  n('office-berlin', 'DE', 3320, 'Deutsche Telekom', '217.6.120.0/24', 'office', 52.52, 13.4),
  n('office-bangalore', 'IN', 24560, 'Bharti Airtel', '122.166.40.0/24', 'office', 12.97, 77.59),
  n('vpn-ohio', 'US', 16509, 'Amazon.com (org VPN egress)', '52.14.10.0/24', 'vpn', 39.96, -83.0),
  n(
    'vpn-frankfurt',
    'DE',
    16509,
    'Amazon.com (org VPN egress)',
    '18.156.30.0/24',
    'vpn',
    50.11,
    8.68,
  ),
];

/** Carrier-grade NAT space: internal, never a country (RFC 6598). */
export const CGNAT_PREFIX = '100.64.0.0/10';

export const byId = new Map(networks.map((net) => [net.id, net]));

export function network(id: string): Network {
  const net = byId.get(id);
  if (!net) throw new Error(`no network ${id}`);
  return net;
}

export function networksOf(country: string, role: NetworkRole): Network[] {
  return networks.filter((net) => net.country === country && net.role === role);
}

function toInt(ip: string): number {
  return ip.split('.').reduce((acc, part) => acc * 256 + Number(part), 0);
}

function toIp(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

export function prefixRange(prefix: string): { base: number; size: number } {
  const [ip, bits] = prefix.split('/') as [string, string];
  const size = 2 ** (32 - Number(bits));
  return { base: Math.floor(toInt(ip) / size) * size, size };
}

/** The `index`-th /24 of a prefix (wrapping), as its first three octets' base. */
export function block24(prefix: string, index: number): number {
  const { base, size } = prefixRange(prefix);
  const blocks = Math.max(1, size / 256);
  return base + (Math.abs(index) % blocks) * 256;
}

/** A host address (1-254) in a /24 block. */
export function hostIn(block: number, host: number): string {
  return toIp(block + 1 + (Math.abs(host) % 254));
}

export function inPrefix(ip: string, prefix: string): boolean {
  const { base, size } = prefixRange(prefix);
  const value = toInt(ip);
  return value >= base && value < base + size;
}

/** Great-circle distance in km. */
export function distanceKm(a: Network, b: Network): number {
  const rad = Math.PI / 180;
  const dLat = (b.latitude - a.latitude) * rad;
  const dLon = (b.longitude - a.longitude) * rad;
  const h =
    Math.sin(dLat / 2) ** 2 +
    Math.cos(a.latitude * rad) * Math.cos(b.latitude * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.sqrt(h));
}
