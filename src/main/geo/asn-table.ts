import fs from 'node:fs';

/** An autonomous system an address belongs to, as the ASN table says. */
export interface AsnHit {
  asn: number;
  org: string | null;
}

/**
 * The bundled address-to-ASN table (ip-location-db's CSV: start,end,asn,"org", inclusive ranges,
 * sorted by start) held as compact sorted arrays and searched by bisection: IPv4 bounds
 * as Uint32Array, IPv6 bounds as two 64-bit halves each, organisations deduplicated.
 */
export interface AsnTable {
  lookupV4(address: number): AsnHit | null;
  /** An IPv6 address as its high and low 64 bits. */
  lookupV6(high: bigint, low: bigint): AsnHit | null;
  readonly rows: { v4: number; v6: number };
}

/** The organisation field: bare, or quoted with `""` for a quote inside. */
function orgOf(field: string): string | null {
  let text = field;
  if (text.startsWith('"')) text = text.slice(1, text.endsWith('"') ? -1 : undefined);
  text = text.replace(/""/g, '"').trim();
  return text === '' ? null : text;
}

/** Deduplicates organisation names: a few tens of thousands for half a million rows. */
class OrgNames {
  readonly names: Array<string | null> = [null];
  private readonly index = new Map<string, number>();
  idOf(field: string): number {
    const name = orgOf(field);
    if (name === null) return 0;
    let id = this.index.get(name);
    if (id === undefined) {
      id = this.names.length;
      this.names.push(name);
      this.index.set(name, id);
    }
    return id;
  }
}

/**
 * Calls `row(start, end, asn, orgField)` for each line of a numeric ASN CSV, splitting on the
 * first three commas (the organisation may hold commas inside its quotes).
 */
function eachRow(
  text: string,
  row: (start: string, end: string, asn: string, org: string) => void,
): void {
  let at = 0;
  while (at < text.length) {
    let eol = text.indexOf('\n', at);
    if (eol === -1) eol = text.length;
    const c1 = text.indexOf(',', at);
    const c2 = c1 === -1 ? -1 : text.indexOf(',', c1 + 1);
    const c3 = c2 === -1 ? -1 : text.indexOf(',', c2 + 1);
    if (c3 !== -1 && c3 < eol) {
      const end = text.charCodeAt(eol - 1) === 13 ? eol - 1 : eol;
      row(
        text.slice(at, c1),
        text.slice(c1 + 1, c2),
        text.slice(c2 + 1, c3),
        text.slice(c3 + 1, end),
      );
    }
    at = eol + 1;
  }
}

const LOW_64 = (1n << 64n) - 1n;

/**
 * Loads the numeric CSVs (`asn-ipv4-num.csv`, `asn-ipv6-num.csv`): numbers parse faster than
 * dotted or colon text. Rows arrive sorted by start; a file that is not is refused rather than
 * searched wrongly, and a row overlapping the next one ends where the next begins, so that
 * bisection finds one row per address.
 */
export function loadAsnTable(files: { v4: string; v6: string }): AsnTable {
  const orgs = new OrgNames();

  const v4Text = fs.readFileSync(files.v4, 'utf8');
  let capacity = 1 << 19;
  let starts = new Uint32Array(capacity);
  let ends = new Uint32Array(capacity);
  let asns = new Uint32Array(capacity);
  let orgIds = new Uint32Array(capacity);
  let n4 = 0;
  eachRow(v4Text, (start, end, asn, org) => {
    if (n4 === capacity) {
      capacity *= 2;
      const grow = (a: Uint32Array) => {
        const b = new Uint32Array(capacity);
        b.set(a);
        return b;
      };
      starts = grow(starts);
      ends = grow(ends);
      asns = grow(asns);
      orgIds = grow(orgIds);
    }
    starts[n4] = Number(start);
    ends[n4] = Number(end);
    asns[n4] = Number(asn);
    orgIds[n4] = orgs.idOf(org);
    if (n4 > 0) {
      if (starts[n4]! <= starts[n4 - 1]!) throw new Error(`${files.v4}: rows out of order`);
      // One published row overlaps the next (a data error upstream): the later start wins.
      if (starts[n4]! <= ends[n4 - 1]!) ends[n4 - 1] = starts[n4]! - 1;
    }
    n4++;
  });

  const v6Text = fs.readFileSync(files.v6, 'utf8');
  const v6Rows: Array<[bigint, bigint, number, number]> = [];
  eachRow(v6Text, (start, end, asn, org) => {
    v6Rows.push([BigInt(start), BigInt(end), Number(asn), orgs.idOf(org)]);
  });
  const n6 = v6Rows.length;
  const startHigh = new BigUint64Array(n6);
  const startLow = new BigUint64Array(n6);
  const endHigh = new BigUint64Array(n6);
  const endLow = new BigUint64Array(n6);
  const asns6 = new Uint32Array(n6);
  const orgIds6 = new Uint32Array(n6);
  v6Rows.forEach(([start, end, asn, org], i) => {
    const next = v6Rows[i + 1];
    if (next && next[0] <= start) throw new Error(`${files.v6}: rows out of order`);
    if (next && next[0] <= end) end = next[0] - 1n;
    startHigh[i] = start >> 64n;
    startLow[i] = start & LOW_64;
    endHigh[i] = end >> 64n;
    endLow[i] = end & LOW_64;
    asns6[i] = asn;
    orgIds6[i] = org;
  });

  const hit = (asn: number, org: number): AsnHit => ({ asn, org: orgs.names[org] ?? null });

  return {
    rows: { v4: n4, v6: n6 },
    lookupV4(address) {
      // The last row starting at or before the address; it holds it if it ends at or after it.
      let lo = 0;
      let hi = n4 - 1;
      let found = -1;
      while (lo <= hi) {
        const mid = (lo + hi) >>> 1;
        if (starts[mid]! <= address) {
          found = mid;
          lo = mid + 1;
        } else hi = mid - 1;
      }
      return found >= 0 && ends[found]! >= address ? hit(asns[found]!, orgIds[found]!) : null;
    },
    lookupV6(high, low) {
      const atOrBefore = (i: number) =>
        startHigh[i]! < high || (startHigh[i] === high && startLow[i]! <= low);
      let lo = 0;
      let hi = n6 - 1;
      let found = -1;
      while (lo <= hi) {
        const mid = (lo + hi) >>> 1;
        if (atOrBefore(mid)) {
          found = mid;
          lo = mid + 1;
        } else hi = mid - 1;
      }
      if (found < 0) return null;
      const covers = endHigh[found]! > high || (endHigh[found] === high && endLow[found]! >= low);
      return covers ? hit(asns6[found]!, orgIds6[found]!) : null;
    },
  };
}
