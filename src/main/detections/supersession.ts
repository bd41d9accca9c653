import type { AuditFilterInput, Finding } from '../../shared/contract';
import { cidrKeyRange, ipKey } from '../network/ip-network';

/**
 * One finding per attack: a detector may declare kinds it `supersedes` (a specific rule over a
 * general one). A finding of such a kind all of whose events are among the events of one of its
 * findings says nothing more, and is not reported.
 *
 * Whether every event of one finding is among another's is read from their links: a finding's
 * `filter` opens exactly its events and its `ips` lists their addresses, so A's events lie within
 * B's when A's filter, narrowed to A's addresses, asks no less than B's filter on every term.
 */
export function withoutSuperseded(
  findings: Finding[],
  supersedes: ReadonlyMap<string, readonly string[]>,
  absorbs: ReadonlyMap<string, readonly string[]> = new Map(),
): Finding[] {
  const hides = (outer: Finding, inner: Finding) =>
    outer !== inner &&
    (((supersedes.get(outer.kind) ?? []).includes(inner.kind) && eventsWithin(inner, outer)) ||
      ((absorbs.get(outer.kind) ?? []).includes(inner.kind) && sameIncident(inner, outer)));
  // Each pair is judged once: who hides each finding.
  const hiders = new Map(
    findings.map((finding) => [finding, findings.filter((other) => hides(other, finding))]),
  );
  const kept = findings.filter((finding) => hiders.get(finding)!.length === 0);
  const hidden = new Map<Finding, Finding[]>();
  for (const [finding, by] of hiders)
    for (const outer of by)
      if (hiders.get(outer)!.length === 0)
        hidden.set(outer, [...(hidden.get(outer) ?? []), finding]);
  // What a kept finding hid still counts: it is as severe as the worst of them, and says so.
  return kept.map((finding) => {
    const merged = hidden.get(finding);
    if (!merged) return finding;
    const worst = merged.reduce(
      (severity, other) =>
        severityRank[other.severity] < severityRank[severity] ? other.severity : severity,
      finding.severity,
    );
    const seenAs = [...new Set(merged.map((other) => other.title))];
    return {
      ...finding,
      severity: worst,
      why: `${finding.why} Also: ${seenAs.slice(0, 3).join('; ')}${seenAs.length > 3 ? `; and ${seenAs.length - 3} more` : ''}.`,
    };
  });
}

const severityRank: Record<Finding['severity'], number> = { high: 0, medium: 1, low: 2 };

/**
 * Whether `inner` names only users and addresses `outer` names, within `outer`'s time span:
 * what a location finding adds to an attack finding on the same accounts at the same moment is
 * where they came from, which the attack finding says too (its countries and networks).
 */
export function sameIncident(inner: Finding, outer: Finding): boolean {
  // The time span first: cheap, and it rules out almost every pair.
  if (Date.parse(inner.start) < Date.parse(outer.start)) return false;
  if (Date.parse(inner.end) > Date.parse(outer.end)) return false;
  return (
    inner.users.length > 0 &&
    inner.users.every((user) => outer.users.includes(user)) &&
    inner.ips.every((ip) => outer.ips.includes(ip))
  );
}

/**
 * Terms that narrow a filter by equality: B's, when it has one, must be A's too (a country
 * conservatively so: A's addresses could all be in it without A saying it).
 */
const equalTerms = [
  'email',
  'country',
  'userId',
  'method',
  'outcome',
  'text',
  'weekday',
  'hour',
  'tzOffsetMinutes',
] as const satisfies ReadonlyArray<keyof AuditFilterInput>;

/** Whether every event of `inner` is one of `outer`'s. */
export function eventsWithin(inner: Finding, outer: Finding): boolean {
  const a = inner.filter;
  const b = outer.filter;
  if (b.types && !(a.types && a.types.every((type) => b.types!.includes(type)))) return false;
  if (b.unresolved && !a.unresolved) return false;
  if (b.since && !(a.since && Date.parse(a.since) >= Date.parse(b.since))) return false;
  if (b.until && !(a.until && Date.parse(a.until) <= Date.parse(b.until))) return false;
  if (equalTerms.some((term) => b[term] !== undefined && a[term] !== b[term])) return false;
  if (b.ip) {
    const range = addressRange(b.ip);
    const within = (ip: string) => {
      const key = ipKey(ip);
      return key !== null && range !== null && key >= range.low && key <= range.high;
    };
    // A finding's addresses are those of its events; without any, nothing shows they match.
    if (inner.ips.length === 0 || !inner.ips.every(within)) return false;
  }
  return true;
}

function addressRange(ipOrCidr: string): { low: string; high: string } | null {
  if (ipOrCidr.includes('/')) return cidrKeyRange(ipOrCidr);
  const key = ipKey(ipOrCidr);
  return key ? { low: key, high: key } : null;
}
