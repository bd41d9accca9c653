import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadAsnTable } from './asn-table';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'org2fa-asn-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function table(v4: string, v6 = '') {
  fs.writeFileSync(path.join(dir, 'v4.csv'), v4);
  fs.writeFileSync(path.join(dir, 'v6.csv'), v6);
  return loadAsnTable({ v4: path.join(dir, 'v4.csv'), v6: path.join(dir, 'v6.csv') });
}

const V6_BASE = 0x2001_0db8n << 96n;
const halves = (n: bigint) => [n >> 64n, n & ((1n << 64n) - 1n)] as const;

describe('the ASN table', () => {
  it('finds the row holding an address, inclusive at both ends, and nothing between rows', () => {
    const t = table(
      '16777216,16777471,13335,"Cloudflare, Inc."\n16778240,16779263,38803,Gtelecom\n',
    );
    expect(t.lookupV4(16777216)).toEqual({ asn: 13335, org: 'Cloudflare, Inc.' });
    expect(t.lookupV4(16777471)?.asn).toBe(13335);
    expect(t.lookupV4(16777472)).toBeNull();
    expect(t.lookupV4(16779263)?.asn).toBe(38803);
    expect(t.lookupV4(16779264)).toBeNull();
    expect(t.lookupV4(1)).toBeNull();
  });

  it('reads quoted names with quotes inside, and UTF-8 names, CRLF lines too', () => {
    const t = table(
      '1,10,201907,"LLC ""SPUTNIK"""\r\n20,30,328903,Réseau Ivoirien de Télécommunication\r\n',
    );
    expect(t.lookupV4(5)?.org).toBe('LLC "SPUTNIK"');
    expect(t.lookupV4(25)?.org).toBe('Réseau Ivoirien de Télécommunication');
  });

  it('ends a row where an overlapping next one starts (a data error upstream)', () => {
    const t = table('100,200,749,DoD\n150,300,721,DoD NIC\n');
    expect(t.lookupV4(149)?.asn).toBe(749);
    expect(t.lookupV4(150)?.asn).toBe(721);
    expect(t.lookupV4(300)?.asn).toBe(721);
  });

  it('refuses rows out of order rather than search them wrongly', () => {
    expect(() => table('200,300,1,a\n100,150,2,b\n')).toThrow(/out of order/);
  });

  it('looks up IPv6 ranges by their two 64-bit halves', () => {
    const start = V6_BASE;
    const end = V6_BASE + (1n << 80n) - 1n;
    const t = table('1,2,3,x\n', `${start},${end},64500,Example v6\n`);
    expect(t.lookupV6(...halves(V6_BASE + 12345n))).toEqual({ asn: 64500, org: 'Example v6' });
    expect(t.lookupV6(...halves(end))?.asn).toBe(64500);
    expect(t.lookupV6(...halves(end + 1n))).toBeNull();
    expect(t.lookupV6(...halves(start - 1n))).toBeNull();
  });
});
