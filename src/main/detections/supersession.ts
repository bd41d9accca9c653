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
): Finding[] {
  return findings.filter(
    (finding) =>
      !findings.some(
        (other) =>
          other !== finding &&
          (supersedes.get(other.kind) ?? []).includes(finding.kind) &&
          eventsWithin(finding, other),
      ),
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
