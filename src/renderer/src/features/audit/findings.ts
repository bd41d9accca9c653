import { severities } from '../../../../shared/analytics';
import type { Finding } from '../../../../shared/contract';

type Severity = Finding['severity'];

/** The most severe first: what the panel shows at the top. */
export const severityOrder: readonly Severity[] = [...severities].reverse();

export const severityLabels: Record<Severity, string> = {
  high: 'High',
  medium: 'Medium',
  low: 'Low',
};

/**
 * Findings in groups by severity, high → medium → low (empty groups left out); within a group
 * the most recent first, so what is still going on is read before what is over.
 */
export function groupBySeverity(
  findings: readonly Finding[],
): Array<{ severity: Severity; findings: Finding[] }> {
  return severityOrder
    .map((severity) => ({
      severity,
      findings: findings
        .filter((finding) => finding.severity === severity)
        .sort((a, b) => Date.parse(b.end) - Date.parse(a.end) || a.id.localeCompare(b.id)),
    }))
    .filter((group) => group.findings.length > 0);
}

export { countryLabel, countryName } from '../../../../shared/country-names';

export const asnLabel = (asn: number) => `AS${asn}`;

const dateTime = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short' });
const timeOnly = new Intl.DateTimeFormat('en', { timeStyle: 'short' });

/** "Mar 2, 2026, 10:05 AM – 10:17 AM"; the date once when both ends fall on the same day. */
export function timeSpan(start: string, end: string): string {
  const from = new Date(start);
  const to = new Date(end);
  if (from.getTime() === to.getTime()) return dateTime.format(from);
  const sameDay = from.toDateString() === to.toDateString();
  return `${dateTime.format(from)} – ${(sameDay ? timeOnly : dateTime).format(to)}`;
}

/** The one user whose 2FA the finding's reset would reset, or null (none, or several). */
export function resetTarget(finding: Finding): string | null {
  if (!finding.remedies.includes('reset_two_factor')) return null;
  return finding.users.length === 1 ? finding.users[0]! : null;
}

/**
 * What "trust this network" can trust for a finding: its network block (the CIDR its link
 * filters on) and each of its autonomous systems, as detections.trustNetwork takes them.
 */
export function trustOptions(finding: Finding): Array<{ value: string; label: string }> {
  if (!finding.remedies.includes('trust_network')) return [];
  const options: Array<{ value: string; label: string }> = [];
  if (finding.filter.ip?.includes('/'))
    options.push({ value: finding.filter.ip, label: `Network ${finding.filter.ip}` });
  for (const asn of finding.asns)
    options.push({ value: asnLabel(asn), label: `Autonomous system ${asnLabel(asn)}` });
  return options;
}

/** "a, b, c and 4 more". */
export function summarize(items: readonly string[], max: number): string {
  return items.length <= max
    ? items.join(', ')
    : `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}
