import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DomainError } from '../domain-error';
import { loadAsnTable } from './asn-table';
import { bundledFiles, dataDateOfVersion } from './geo-sources';
import { createOfflineLocator } from './offline-locator';

/** Real bundled data: the figures below are what DB-IP and RouteViews say of these addresses. */
describe('the offline locator on the bundled databases', () => {
  const locator = createOfflineLocator({ mode: 'bundled' });

  it('names the network operators of well-known public resolvers', () => {
    const cloudflare = locator.locate('1.1.1.1');
    expect(cloudflare).toMatchObject({ internal: false, asn: 13335 });
    expect(cloudflare.asOrg).toMatch(/cloudflare/i);
    const google = locator.locate('8.8.8.8');
    expect(google).toMatchObject({ internal: false, asn: 15169, country: 'US' });
    expect(google.asOrg).toMatch(/google/i);
  });

  it('gives coordinates where the city database has them', () => {
    const google = locator.locate('8.8.8.8');
    expect(google.latitude).toBeGreaterThan(30);
    expect(google.latitude).toBeLessThan(45);
    expect(google.longitude).toBeLessThan(-100);
    expect(locator.hasCoordinates).toBe(true);
  });

  it('locates IPv6 addresses, and IPv4-mapped ones as their IPv4 address', () => {
    const v6 = locator.locate('2001:4860:4860::8888');
    expect(v6.internal).toBe(false);
    expect(v6.asn).toBe(15169);
    expect(v6.country).toMatch(/^[A-Z]{2}$/);
    expect(locator.locate('2606:4700:4700::1111').asn).toBe(13335);
    expect(locator.locate('::ffff:8.8.8.8')).toEqual(locator.locate('8.8.8.8'));
  });

  it.each([
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['192.168.1.10', 'private'],
    ['127.0.0.1', 'loopback'],
    ['169.254.10.1', 'link-local'],
    ['100.64.0.1', 'CGNAT'],
    ['100.127.255.254', 'CGNAT'],
    ['192.0.2.1', 'documentation'],
    ['198.51.100.7', 'documentation'],
    ['203.0.113.200', 'documentation'],
    ['224.0.0.251', 'multicast'],
    ['240.0.0.1', 'reserved'],
    ['0.0.0.0', 'unspecified'],
    ['::1', 'loopback'],
    ['fe80::1', 'link-local'],
    ['fd12:3456::1', 'unique local'],
    ['2001:db8::1', 'documentation'],
    ['ff02::1', 'multicast'],
  ])('%s (%s) is internal, never a country', (ip) => {
    expect(locator.locate(ip)).toEqual({
      internal: true,
      country: null,
      asn: null,
      asOrg: null,
      latitude: null,
      longitude: null,
    });
  });

  it('places the address just outside CGNAT on the Internet', () => {
    expect(locator.locate('100.128.0.1').internal).toBe(false);
  });

  it('answers "unknown" for text that is not an address', () => {
    expect(locator.locate('not-an-ip')).toMatchObject({ internal: false, country: null });
  });

  it('credits both bundled sources, with their data dates and the upstream notice', () => {
    expect(locator.sources.map((s) => [s.provides, s.licence, s.bundled])).toEqual([
      ['location', 'CC BY 4.0', true],
      ['asn', 'CC BY 4.0', true],
    ]);
    for (const source of locator.sources) {
      expect(source.dataDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(source.notice).toMatch(/errors/);
      expect(source.url).toMatch(/^https:\/\//);
    }
    expect(dataDateOfVersion('2.3.2026060513')).toBe('2026-06-05');
  });

  it('loads the ASN table (half a million rows) well under two seconds', () => {
    const files = bundledFiles();
    const start = performance.now();
    const table = loadAsnTable({ v4: files.asnV4, v6: files.asnV6 });
    expect(performance.now() - start).toBeLessThan(2000);
    expect(table.rows.v4).toBeGreaterThan(400_000);
    expect(table.rows.v6).toBeGreaterThan(100_000);
  });
});

describe("an admin's own folder", () => {
  const dirs: string[] = [];
  const folder = (files: Record<string, string | Buffer>) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'org2fa-geo-'));
    dirs.push(dir);
    for (const [name, content] of Object.entries(files))
      fs.writeFileSync(path.join(dir, name), content);
    return dir;
  };
  afterAll(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

  it('replaces the bundled locations with its own file, keeping the bundled ASN table', () => {
    // The bundled DB-IP file, copied in as if the admin had downloaded it.
    const dir = folder({ 'my-city.mmdb': fs.readFileSync(bundledFiles().cityV4) });
    const locator = createOfflineLocator({ mode: 'directory', directory: dir, origin: 'settings' });
    expect(locator.sources.map((s) => [s.provides, s.bundled])).toEqual([
      ['location', false],
      ['asn', true],
    ]);
    expect(locator.sources[0]!.name).toContain('my-city.mmdb');
    expect(locator.sources[0]!.dataDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(locator.locate('8.8.8.8')).toMatchObject({ country: 'US', asn: 15169 });
    // Its file is IPv4 only: an IPv6 address gets no place from it, rather than an error.
    expect(locator.locate('2001:4860:4860::8888')).toMatchObject({ country: null, asn: 15169 });
  });

  it('refuses a folder with no usable .mmdb file, naming the field and the reason', () => {
    const empty = folder({ 'readme.txt': 'no databases here' });
    const broken = folder({ 'GeoLite2-City.mmdb': 'not a database' });
    for (const [dir, reason] of [
      [empty, /no \.mmdb file/i],
      [broken, /GeoLite2-City\.mmdb is not a readable MaxMind database/],
    ] as const) {
      let error: unknown;
      try {
        createOfflineLocator({ mode: 'directory', directory: dir, origin: 'settings' });
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(DomainError);
      expect(error).toMatchObject({
        code: 'INVALID_INPUT',
        details: { kind: 'fields', fields: { directory: expect.any(String) } },
      });
      expect((error as Error).message).toMatch(reason);
    }
    expect(() =>
      createOfflineLocator({
        mode: 'directory',
        directory: path.join(empty, 'missing'),
        origin: 'settings',
      }),
    ).toThrow(/not a readable folder/);
  });

  it('with lookups off, still tells internal addresses, and places nothing', () => {
    const off = createOfflineLocator({ mode: 'off' });
    expect(off.locate('10.0.0.1').internal).toBe(true);
    expect(off.locate('8.8.8.8')).toMatchObject({ internal: false, country: null, asn: null });
    expect(off.sources).toEqual([]);
  });
});
