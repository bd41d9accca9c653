import { once } from 'node:events';
import fs from 'node:fs';
import { generateDemoHistory } from '../src/main/demo/demo-history';
import type { HistoricalEvent } from '../src/main/audit/audit.service';

/** Events per demo user over 90 days, measured from the generator (10k users → ~1.3M events). */
const EVENTS_PER_USER = 125;

export interface Dataset {
  /** Oldest first, exactly as the JSON Lines file holds them. */
  events: HistoricalEvent[];
  /** Just after the newest event: the "now" of every query. */
  now: number;
}

/**
 * N realistic events from the demo generator (sign-ins from usual networks, typos, the three
 * planted attack patterns), the newest N of a 90-day history sized to hold them.
 */
export function generateDataset(count: number, now: number): Dataset {
  const users = Math.max(20, Math.ceil(count / EVENTS_PER_USER) + 10);
  const history = generateDemoHistory({
    users,
    days: 90,
    seed: 2026,
    now,
    admin: { id: 'bench-admin', email: 'admin@demo-corp.test' },
  });
  if (history.events.length < count)
    throw new Error(`The generator made ${history.events.length} events, fewer than ${count}.`);
  const events = history.events.slice(-count);
  return { events, now: events.at(-1)!.ts + 60_000 };
}

/** Writes the events in the documented event file format (JSON Lines). */
export async function writeEventFile(file: string, events: HistoricalEvent[]): Promise<number> {
  const out = fs.createWriteStream(file);
  for (const e of events) {
    const line =
      JSON.stringify({
        type: e.type,
        timestamp: new Date(e.ts).toISOString(),
        userId: e.userId,
        email: e.email,
        ip: e.ip,
        userAgent: e.userAgent,
        method: e.method,
        details: JSON.parse(e.details) as unknown,
      }) + '\n';
    if (!out.write(line)) await once(out, 'drain');
  }
  await new Promise<void>((resolve, reject) =>
    out.end((error?: Error | null) => (error ? reject(error) : resolve())),
  );
  return fs.statSync(file).size;
}
