import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createApp } from '../../src/main/app';
import { manualClock } from '../../src/main/clock';
import { fork } from 'node:child_process';
import { CONSOLE_RUN } from './console-run';
import { detectorInfos } from '../../src/main/detections/registry';
import type { TrustedNetworksSettings } from '../../src/shared/contract';
import type { Range } from '../../src/main/store/verification-queries';
import { silentLogger } from '../../src/main/logger';
import { generateCorpus } from './corpus';
import { goalsMet, markdownTable, scoreFindings, type ScoredFinding } from './score';
import { writeCorpus } from './write';

const usage = `npm run detections:eval [-- --users N] [--days N] [--history N] [--seed N] [--keep DIR]
  Generates a labelled corpus (an org of N users, default 10,000, over the last --days days,
  default 30, after --history days of baseline, default 21), benign behaviour plus injected
  attacks of every kind at several intensities, writes it to a fresh SQLite database through the
  app's own append path, runs every detector in the registry over the window at default settings
  (the org's offices and VPN egress listed as trusted networks) and prints per detector: injected,
  found, missed, false findings, false findings per 10,000 user-days. A measurement: exits 0.`;

function step(text: string): void {
  process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${text}\n`);
}

type Outcome = { findings: ScoredFinding[]; seconds: number; timedOut: boolean };

/**
 * One detector in a child process (detect-worker.ts, its own read-only connection): its findings,
 * or, past `limitMs`, none and `timedOut` (the child is killed).
 */
function detectInWorker(
  dbFile: string,
  kind: string,
  range: Range,
  trust: TrustedNetworksSettings,
  limitMs: number,
): Promise<Outcome> {
  const started = performance.now();
  const child = fork(path.join(__dirname, 'detect-worker.js'), [], { serialization: 'advanced' });
  child.send({ dbFile, kind, range, trust });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve({ findings: [], seconds: limitMs / 1000, timedOut: true });
    }, limitMs);
    child.once('message', (reply: { findings?: ScoredFinding[]; error?: string }) => {
      clearTimeout(timer);
      if (reply.error) reject(new Error(`${kind}: ${reply.error}`));
      else
        resolve({
          findings: reply.findings!,
          seconds: (performance.now() - started) / 1000,
          timedOut: false,
        });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${kind}: the detector's process exited (${code}) without findings`));
    });
  });
}

/** Every kind, at most `parallel` at a time. */
async function detectAll(
  kinds: readonly string[],
  parallel: number,
  run: (kind: string) => Promise<Outcome>,
): Promise<Map<string, Outcome>> {
  const outcomes = new Map<string, Outcome>();
  const queue = [...kinds];
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      for (let kind = queue.shift(); kind !== undefined; kind = queue.shift()) {
        const outcome = await run(kind);
        step(
          `${kind}: ${outcome.timedOut ? `not finished in ${outcome.seconds} s` : `${outcome.findings.length} findings in ${outcome.seconds.toFixed(1)} s`}`,
        );
        outcomes.set(kind, outcome);
      }
    }),
  );
  return outcomes;
}

function wholeNumber(name: string, value: string, min: number): number {
  const n = Number(value.replace(/[_,]/g, ''));
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name}: a whole number ≥ ${min}`);
  return n;
}

async function main(): Promise<void> {
  const started = performance.now();
  const { values } = parseArgs({
    options: {
      users: { type: 'string', default: '10000' },
      days: { type: 'string', default: '30' },
      history: { type: 'string', default: '21' },
      seed: { type: 'string', default: '1' },
      'detector-timeout': { type: 'string', default: '120' },
      parallel: { type: 'string', default: '2' },
      keep: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) return void console.log(usage);
  const users = wholeNumber('users', values.users, 50);
  const days = wholeNumber('days', values.days, 5);
  const historyDays = wholeNumber('history', values.history, 7);
  const seed = wholeNumber('seed', values.seed, 0);
  const limitMs = wholeNumber('detector-timeout', values['detector-timeout'], 1) * 1000;
  const parallel = wholeNumber('parallel', values.parallel, 1);

  step(`generating ${users} users × ${days} days (+${historyDays} days of history), seed ${seed}`);
  const corpus = generateCorpus({ users, days, historyDays, seed });
  const generated = performance.now();
  step(
    `${corpus.events.length} events, ${corpus.locations.size} addresses, ${corpus.attacks.length} attacks`,
  );

  const dir = values.keep ?? fs.mkdtempSync(path.join(os.tmpdir(), 'org2fa-eval-'));
  fs.mkdirSync(dir, { recursive: true });
  const dbPath = path.join(dir, 'eval.sqlite');
  fs.rmSync(dbPath, { force: true });
  const app = await createApp({
    dbPath,
    clock: manualClock(corpus.end),
    logger: silentLogger,
    // The address plan locates every address itself: no lookups at append.
    env: { ...process.env, ORG2FA_GEOIP: 'off' },
  });
  try {
    await writeCorpus(app, corpus);
    const written = performance.now();
    step(`written to ${dbPath} in ${((written - generated) / 1000).toFixed(1)} s`);

    const range = { sinceMs: corpus.windowStart, untilMs: corpus.end };
    const kinds = detectorInfos().map((d) => d.kind);
    const outcomes = await detectAll(kinds, parallel, (kind) =>
      detectInWorker(dbPath, kind, range, corpus.trusted, limitMs),
    );
    const detected = performance.now();
    const findings = [...outcomes.values()].flatMap((o) => o.findings);
    step(`${findings.length} findings in ${((detected - written) / 1000).toFixed(1)} s`);

    const timing = new Map(
      [...outcomes].map(([kind, o]) => [kind, { seconds: o.seconds, timedOut: o.timedOut }]),
    );
    const score = scoreFindings(kinds, findings, corpus, timing);
    const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

    console.log(
      `\n${users.toLocaleString('en')} users × ${days} days (${score.userDays.toLocaleString('en')} user-days; ${historyDays} days of history before), seed ${seed}: ${corpus.events.length.toLocaleString('en')} events, ${corpus.attacks.length} injected attacks\n`,
    );
    console.log(markdownTable(score));
    console.log(
      `\nRun time: ${seconds(detected - started)} (generate ${seconds(generated - started)}, write ${seconds(written - generated)}, detect ${seconds(detected - written)})`,
    );
    const goals = goalsMet(score);
    console.log(
      goals.allFound && goals.falseRateOk
        ? '\nGoals met: every injected attack found; at most 1 false finding per 10,000 user-days.'
        : `\nGOALS NOT MET:${goals.allFound ? '' : ` ${score.total.missed} injected attack(s) missed;`}${goals.falseRateOk ? '' : ` more than 1 false finding per 10,000 user-days;`}`,
    );
    console.log(
      `Detector times: ${score.rows.map((r) => `${r.kind} ${r.timedOut !== undefined ? `>${r.timedOut}` : (r.seconds ?? 0).toFixed(1)} s`).join(', ')}`,
    );
    for (const r of score.rows.filter((row) => row.timedOut !== undefined))
      console.log(
        `${r.kind} did not finish within ${r.timedOut} s (--detector-timeout): its ${r.injected} attacks are not counted as found or missed.`,
      );
    for (const { kind, injected } of score.absent)
      console.log(`Not in the registry yet: ${kind} (${injected} attacks injected, not counted).`);

    const missed = score.rows.filter((r) => r.timedOut === undefined).flatMap((r) => r.missed);
    if (missed.length > 0) {
      console.log('\nMissed:');
      for (const a of missed)
        console.log(
          `- ${a.id} ${a.kind}: ${a.label} (${new Date(a.start).toISOString()}, ${a.users.slice(0, 3).join(', ')}${a.users.length > 3 ? ', …' : ''})`,
        );
    }

    // The same corpus as the console shows it: every detector at once, one finding per attack.
    const consoleRun = await detectInWorker(dbPath, CONSOLE_RUN, range, corpus.trusted, limitMs);
    const consoleScore = scoreFindings(kinds, consoleRun.findings, corpus, timing, {
      anyKind: true,
    });
    console.log(
      `\nAs the console shows them (runDetectors: one finding per attack, ${consoleRun.findings.length} findings in ${consoleRun.seconds.toFixed(1)} s; an attack counts as found by a finding of any kind, false findings by the kind kept):\n`,
    );
    console.log(markdownTable(consoleScore));

    const cross = score.rows.filter((r) => r.crossFound > 0);
    if (cross.length > 0) {
      console.log('\nCross-found (findings on attacks injected for another kind; not false):');
      for (const r of cross) console.log(`- ${r.kind}: ${r.crossFound}`);
    }
    const withFalse = score.rows.filter((r) => r.falseFindings.length > 0);
    if (withFalse.length > 0) {
      console.log('\nFalse findings by benign behaviour (a finding may show several):');
      for (const r of withFalse) {
        const byBehaviour = new Map<string, typeof r.falseFindings>();
        for (const f of r.falseFindings) {
          const key = f.behaviours.join(' + ');
          byBehaviour.set(key, [...(byBehaviour.get(key) ?? []), f]);
        }
        console.log(`- ${r.kind}:`);
        for (const [behaviour, list] of [...byBehaviour].sort(
          (a, b) => b[1].length - a[1].length,
        )) {
          const { finding } = list[0]!;
          console.log(
            `    ${list.length} × ${behaviour}; e.g. "${finding.title}" (${finding.start}): ${finding.why}`,
          );
        }
      }
    }
  } finally {
    await app.close();
    if (!values.keep) fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  },
);
