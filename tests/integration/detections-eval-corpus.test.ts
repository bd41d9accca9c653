import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attackKinds, generateCorpus, type Corpus } from '../../scripts/detections-eval/corpus';
import { inPrefix, networks } from '../../scripts/detections-eval/networks';
import { writeCorpus } from '../../scripts/detections-eval/write';
import { createTempApp, type TempApp } from '../support/temp-app';

/** The `npm run detections:eval` corpus on a tiny org: its labels match what is in the store. */
describe('detections eval corpus', () => {
  let temp: TempApp;
  let corpus: Corpus;

  beforeAll(async () => {
    corpus = generateCorpus({ users: 200, days: 10, historyDays: 14, seed: 7 });
    temp = await createTempApp();
    await writeCorpus(temp.app, corpus);
  });
  afterAll(async () => {
    await temp.close();
  });

  it('is the same corpus for the same seed', () => {
    const again = generateCorpus({ users: 200, days: 10, historyDays: 14, seed: 7 });
    expect(again.events.length).toBe(corpus.events.length);
    expect(again.attacks).toEqual(corpus.attacks);
  });

  it('injects every kind at several intensities, inside the evaluated window', () => {
    for (const kind of attackKinds)
      expect(corpus.attacks.filter((a) => a.kind === kind).length).toBeGreaterThanOrEqual(3);
    for (const attack of corpus.attacks) {
      expect(attack.start).toBeGreaterThanOrEqual(corpus.windowStart);
      expect(attack.end).toBeLessThan(corpus.end);
      expect(attack.users.length).toBeGreaterThan(0);
      expect(attack.ips.length).toBeGreaterThan(0);
    }
  });

  it('stores every injected attack: its accounts and addresses in its time', async () => {
    for (const attack of corpus.attacks) {
      const rows = await temp.app.db
        .selectFrom('audit_events')
        .select(['email', 'ip'])
        .where('ts', '>=', Math.floor(attack.start))
        .where('ts', '<=', Math.ceil(attack.end))
        .where('ip', 'in', attack.ips)
        .execute();
      expect(rows.length, `${attack.id} ${attack.kind}: ${attack.label}`).toBeGreaterThan(0);
      expect(rows.some((r) => r.email !== null && attack.users.includes(r.email))).toBe(true);
    }
  });

  it('locates every address as the address plan says, and no benign event comes from an attack-only network', async () => {
    const rows = await temp.app.db.selectFrom('ip_locations').selectAll().execute();
    const stored = new Map(rows.map((r) => [r.ip, r]));
    for (const [ip, where] of corpus.locations) {
      const row = stored.get(ip);
      expect(row, ip).toBeDefined();
      expect(row!.country).toBe(where.country);
      expect(row!.asn).toBe(where.asn);
      expect(row!.internal).toBe(where.internal ? 1 : 0);
    }
    const attackIps = new Set(corpus.attacks.flatMap((a) => a.ips));
    const hosting = networks.filter((n) => n.role === 'hosting');
    for (const event of corpus.events)
      if (event.ip && hosting.some((n) => inPrefix(event.ip!, n.prefix)))
        expect(attackIps.has(event.ip), event.ip).toBe(true);
  });
});
