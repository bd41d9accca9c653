import type { Finding } from '../../src/shared/contract';
import { MINUTE, type Attack, type BenignBehaviour, type Corpus } from './corpus';
import { inPrefix, networks } from './networks';

/** What scoring reads of a finding. */
export type ScoredFinding = Pick<
  Finding,
  'kind' | 'title' | 'why' | 'users' | 'ips' | 'start' | 'end'
>;

/** A finding's time may start a little before or end a little after the attack's events. */
const SLACK_MS = 5 * MINUTE;

export interface DetectorScore {
  kind: string;
  injected: number;
  found: number;
  missed: Attack[];
  /** Findings that match no injected attack of any kind. */
  falseFindings: Array<{ finding: ScoredFinding; behaviours: BenignBehaviour[] }>;
  /** Findings that match only attacks injected for another kind. */
  crossFound: number;
  /** Set when the detector did not finish within the eval's time limit (not counted). */
  timedOut?: number;
  seconds?: number;
}

export interface Score {
  rows: DetectorScore[];
  total: { injected: number; found: number; missed: number; falseFindings: number };
  userDays: number;
  /** Kinds injected that no detector in the registry has yet. */
  absent: Array<{ kind: string; injected: number }>;
}

export function overlaps(finding: ScoredFinding, attack: Attack): boolean {
  const start = Date.parse(finding.start);
  const end = Date.parse(finding.end);
  if (end < attack.start - SLACK_MS || start > attack.end + SLACK_MS) return false;
  return (
    finding.users.some((u) => attack.users.includes(u)) ||
    finding.ips.some((ip) => attack.ips.includes(ip))
  );
}

/** Which benign behaviours explain a false finding: its users' episodes then, and its addresses. */
function behavioursOf(finding: ScoredFinding, corpus: Corpus): BenignBehaviour[] {
  const found = new Set<BenignBehaviour>();
  const start = Date.parse(finding.start);
  const end = Date.parse(finding.end);
  const users = new Set(finding.users);
  for (const episode of corpus.benign)
    if (
      users.has(episode.email) &&
      episode.end >= start - SLACK_MS &&
      episode.start <= end + SLACK_MS
    )
      found.add(episode.behaviour);
  // A network finding may list no address (none failed): its network is in its title.
  const networkInTitle = /(\d+\.\d+\.\d+\.\d+)\/24/.exec(finding.title)?.[1];
  for (const ip of networkInTitle ? [...finding.ips, networkInTitle] : finding.ips) {
    if (ip.startsWith('100.') && inPrefix(ip, '100.64.0.0/10')) found.add('mobile_cgnat');
    const net = networks.find((n) => inPrefix(ip, n.prefix));
    if (net?.role === 'mobile') found.add('mobile_cgnat');
    if (net?.role === 'office') found.add('office_nat');
    if (net?.role === 'vpn') found.add('org_vpn');
  }
  if (found.size === 0) found.add('routine');
  return [...found].sort();
}

export function scoreFindings(
  kinds: readonly string[],
  findings: ScoredFinding[],
  corpus: Corpus,
  timing: Map<string, { seconds: number; timedOut: boolean }> = new Map(),
  /**
   * Found by a finding of any kind (the console's view: a finding another kind's absorbed is in
   * the kept one's why), not only of the intended kind.
   */
  options: { anyKind?: boolean } = {},
): Score {
  const rows: DetectorScore[] = kinds.map((kind) => {
    const time = timing.get(kind);
    const own = findings.filter((f) => f.kind === kind);
    const injected = corpus.attacks.filter((a) => a.kind === kind);
    const finders = options.anyKind ? findings : own;
    const missed = injected.filter((a) => !finders.some((f) => overlaps(f, a)));
    const falseFindings: DetectorScore['falseFindings'] = [];
    let crossFound = 0;
    for (const finding of own) {
      const matched = corpus.attacks.filter((a) => overlaps(finding, a));
      if (matched.length === 0)
        falseFindings.push({ finding, behaviours: behavioursOf(finding, corpus) });
      else if (!matched.some((a) => a.kind === kind)) crossFound++;
    }
    return {
      kind,
      injected: injected.length,
      found: injected.length - missed.length,
      missed,
      falseFindings,
      crossFound,
      ...(time ? { seconds: time.seconds } : {}),
      ...(time?.timedOut ? { timedOut: time.seconds } : {}),
    };
  });
  const counted = rows.filter((r) => r.timedOut === undefined);
  const sum = (f: (r: DetectorScore) => number) => counted.reduce((n, r) => n + f(r), 0);
  const absentKinds = [...new Set(corpus.attacks.map((a) => a.kind))].filter(
    (k) => !kinds.includes(k),
  );
  return {
    rows,
    total: {
      injected: sum((r) => r.injected),
      found: sum((r) => r.found),
      missed: sum((r) => r.missed.length),
      falseFindings: sum((r) => r.falseFindings.length),
    },
    userDays: corpus.users * corpus.days,
    absent: absentKinds.map((kind) => ({
      kind,
      injected: corpus.attacks.filter((a) => a.kind === kind).length,
    })),
  };
}

const per10k = (n: number, userDays: number) => ((n * 10_000) / userDays).toFixed(2);

/** The Markdown table the README carries. */
export function markdownTable(score: Score): string {
  const lines = [
    '| detector | injected | found | missed | false findings | false per 10,000 user-days |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const r of score.rows)
    if (r.timedOut !== undefined)
      lines.push(
        `| ${r.kind} | ${r.injected} | not finished in ${Math.round(r.timedOut)} s | — | — | — |`,
      );
    else
      lines.push(
        `| ${r.kind} | ${r.injected} | ${r.found} | ${r.missed.length} | ${r.falseFindings.length} | ${per10k(r.falseFindings.length, score.userDays)} |`,
      );
  const t = score.total;
  lines.push(
    `| **total** | **${t.injected}** | **${t.found}** | **${t.missed}** | **${t.falseFindings}** | **${per10k(t.falseFindings, score.userDays)}** |`,
  );
  return lines.join('\n');
}

/** Goals: every injected attack found; at most 1 false finding per 10,000 user-days overall. */
export function goalsMet(score: Score): { allFound: boolean; falseRateOk: boolean } {
  return {
    allFound: score.total.missed === 0 && score.rows.every((r) => r.timedOut === undefined),
    falseRateOk: (score.total.falseFindings * 10_000) / score.userDays <= 1,
  };
}
