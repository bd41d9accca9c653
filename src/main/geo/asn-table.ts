import fs from 'node:fs';

/** An autonomous system an address belongs to, as the ASN table says. */
export interface AsnHit {
  asn: number;
  org: string | null;
}

/**
 * The bundled address-to-ASN table (ip-location-db's CSV: start,end,asn,"org", inclusive ranges,
 * sorted by start) held as compact sorted arrays and searched by bisection: IPv4 bounds
 * as Uint32Array, IPv6 bounds as two 64-bit halves each, organisation names by system.
 */
export interface AsnTable {
  lookupV4(address: number): AsnHit | null;
  /** An IPv6 address as its high and low 64 bits. */
  lookupV6(high: bigint, low: bigint): AsnHit | null;
  readonly rows: { v4: number; v6: number };
}

/**
 * The organisation field: bare, or quoted with `""` for a quote inside. The files are read as
 * latin1 (one byte per character: a third of the time of decoding UTF-8 for the whole file), so
 * each name is decoded from UTF-8 here, only the names kept.
 */
function orgOf(field: string): string | null {
  let text = Buffer.from(field, 'latin1').toString('utf8');
  if (text.startsWith('"')) text = text.slice(1, text.endsWith('"') ? -1 : undefined);
  text = text.replace(/""/g, '"').trim();
  return text === '' ? null : text;
}

/**
 * Organisation names by ASN, the first name a system is given: half a million rows name some
 * eighty thousand systems, so only the first row of each has its name cut out of the text.
 */
class OrgNames {
  private readonly byAsn = new Map<number, string | null>();
  note(asn: number, text: string, from: number, to: number): void {
    if (!this.byAsn.has(asn)) this.byAsn.set(asn, orgOf(text.slice(from, to)));
  }
  of(asn: number): string | null {
    return this.byAsn.get(asn) ?? null;
  }
}

/** The decimal number text[from, to) holds (below 2^53: IPv4 bounds and AS numbers). */
function decimalAt(text: string, from: number, to: number): number {
  let value = 0;
  for (let i = from; i < to; i++) value = value * 10 + (text.charCodeAt(i) - 48);
  return value;
}

/**
 * Calls `row(lineStart, comma1, comma2, comma3, lineEnd)` for each line of a numeric ASN CSV:
 * fields by position, so nothing is cut out of the text that is not needed (the organisation
 * may hold commas inside its quotes: only the first three split).
 */
function eachRow(
  text: string,
  row: (at: number, c1: number, c2: number, c3: number, end: number) => void,
): void {
  let at = 0;
  while (at < text.length) {
    let eol = text.indexOf('\n', at);
    if (eol === -1) eol = text.length;
    const c1 = text.indexOf(',', at);
    const c2 = c1 === -1 ? -1 : text.indexOf(',', c1 + 1);
    const c3 = c2 === -1 ? -1 : text.indexOf(',', c2 + 1);
    if (c3 !== -1 && c3 < eol) row(at, c1, c2, c3, text.charCodeAt(eol - 1) === 13 ? eol - 1 : eol);
    at = eol + 1;
  }
}

const LOW_64 = (1n << 64n) - 1n;

/**
 * Loads the numeric CSVs (`asn-ipv4-num.csv`, `asn-ipv6-num.csv`, or one of them): numbers parse faster than
 * dotted or colon text. Rows arrive sorted by start; a file that is not is refused rather than
 * searched wrongly, and a row overlapping the next one ends where the next begins, so that
 * bisection finds one row per address.
 */
export function loadAsnTable(files: { v4?: string; v6?: string }): AsnTable {
  const orgs = new OrgNames();

  // Either family alone: a console whose public addresses are all IPv4 never parses the IPv6 file.
  const v4Text = files.v4 ? fs.readFileSync(files.v4, 'latin1') : '';
  let capacity = 1 << 19;
  let starts = new Uint32Array(capacity);
  let ends = new Uint32Array(capacity);
  let asns = new Uint32Array(capacity);
  let n4 = 0;
  eachRow(v4Text, (at, c1, c2, c3, end) => {
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
    }
    starts[n4] = decimalAt(v4Text, at, c1);
    ends[n4] = decimalAt(v4Text, c1 + 1, c2);
    asns[n4] = decimalAt(v4Text, c2 + 1, c3);
    orgs.note(asns[n4]!, v4Text, c3 + 1, end);
    if (n4 > 0) {
      if (starts[n4]! <= starts[n4 - 1]!) throw new Error(`${files.v4}: rows out of order`);
      // One published row overlaps the next (a data error upstream): the later start wins.
      if (starts[n4]! <= ends[n4 - 1]!) ends[n4 - 1] = starts[n4]! - 1;
    }
    n4++;
  });

  const v6Text = files.v6 ? fs.readFileSync(files.v6, 'latin1') : '';
  const v6Rows: Array<[bigint, bigint, number]> = [];
  eachRow(v6Text, (at, c1, c2, c3, end) => {
    const asn = decimalAt(v6Text, c2 + 1, c3);
    v6Rows.push([BigInt(v6Text.slice(at, c1)), BigInt(v6Text.slice(c1 + 1, c2)), asn]);
    orgs.note(asn, v6Text, c3 + 1, end);
  });
  const n6 = v6Rows.length;
  const startHigh = new BigUint64Array(n6);
  const startLow = new BigUint64Array(n6);
  const endHigh = new BigUint64Array(n6);
  const endLow = new BigUint64Array(n6);
  const asns6 = new Uint32Array(n6);
  v6Rows.forEach(([start, end, asn], i) => {
    const next = v6Rows[i + 1];
    if (next && next[0] <= start) throw new Error(`${files.v6}: rows out of order`);
    if (next && next[0] <= end) end = next[0] - 1n;
    startHigh[i] = start >> 64n;
    startLow[i] = start & LOW_64;
    endHigh[i] = end >> 64n;
    endLow[i] = end & LOW_64;
    asns6[i] = asn;
  });

  const hit = (asn: number): AsnHit => ({ asn, org: orgs.of(asn) });

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
      return found >= 0 && ends[found]! >= address ? hit(asns[found]!) : null;
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
      return covers ? hit(asns6[found]!) : null;
    },
  };
}
