import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { auditFilterSchema, type AuditFilterInput } from '../../../../shared/contract';
import { shortEventType } from '../../components/event-details';

/** Time range presets; `custom` reads since/until from the URL. */
export const rangePresets = {
  '24h': { label: 'Last 24 hours', ms: 24 * 3600_000 },
  '7d': { label: 'Last 7 days', ms: 7 * 86_400_000 },
  '30d': { label: 'Last 30 days', ms: 30 * 86_400_000 },
  '90d': { label: 'Last 90 days', ms: 90 * 86_400_000 },
  all: { label: 'All time', ms: null },
  custom: { label: 'Custom range', ms: null },
} as const;
export type RangePreset = keyof typeof rangePresets;

/** The verification methods and outcomes the audit filter takes, as the contract lists them. */
export const filterMethods = auditFilterSchema.shape.method.unwrap().options;
export const filterOutcomes = auditFilterSchema.shape.outcome.unwrap().options;
export type FilterMethod = (typeof filterMethods)[number];
export type FilterOutcome = (typeof filterOutcomes)[number];

/** Everything the audit page shows is described by its URL: filters survive reloads and links. */
export interface AuditView {
  range: RangePreset;
  filter: AuditFilterInput;
}

const stringKeys = ['email', 'userId', 'ip', 'country', 'text', 'since', 'until'] as const;
const intKeys = ['weekday', 'hour', 'tzOffsetMinutes'] as const;

export function readView(params: URLSearchParams, now: number): AuditView {
  const range =
    (params.get('range') as RangePreset | null) ?? (params.get('since') ? 'custom' : '30d');
  const filter: AuditFilterInput = {};
  const types = params.getAll('type');
  if (types.length) filter.types = types;
  for (const key of stringKeys) {
    const value = params.get(key);
    if (value) filter[key] = value;
  }
  for (const key of intKeys) {
    const value = params.get(key);
    if (value !== null && /^-?\d+$/.test(value)) filter[key] = Number(value);
  }
  const method = params.get('method');
  const knownMethod = filterMethods.find((known) => known === method);
  if (knownMethod) filter.method = knownMethod;
  const outcome = params.get('outcome');
  const knownOutcome = filterOutcomes.find((known) => known === outcome);
  if (knownOutcome) filter.outcome = knownOutcome;
  if (params.get('unresolved') === '1') filter.unresolved = true;
  const preset = rangePresets[range] ?? rangePresets['30d'];
  if (range !== 'custom' && preset.ms !== null) {
    // Rounded to the minute, so the query key (and cache) is stable while the page is open.
    const until = Math.ceil(now / 60_000) * 60_000;
    filter.since = new Date(until - preset.ms).toISOString();
    delete filter.until;
  } else if (range === 'all') {
    delete filter.since;
    delete filter.until;
  }
  return { range: rangePresets[range] ? range : '30d', filter };
}

export function writeView(view: { range: RangePreset; filter: AuditFilterInput }): URLSearchParams {
  const params = new URLSearchParams();
  params.set('range', view.range);
  for (const type of view.filter.types ?? []) params.append('type', type);
  if (view.filter.unresolved) params.set('unresolved', '1');
  for (const key of [...stringKeys, 'method', 'outcome', ...intKeys] as const) {
    if (view.range !== 'custom' && (key === 'since' || key === 'until')) continue;
    const value = view.filter[key];
    if (value !== undefined && value !== '') params.set(key, String(value));
  }
  return params;
}

export function useAuditView() {
  const [params, setParams] = useSearchParams();
  // "Last 24 hours" is anchored when the view was last changed or refreshed, not at every render.
  const [now, setNow] = useState(() => Date.now());
  const key = params.toString();
  const view = useMemo(() => readView(new URLSearchParams(key), now), [key, now]);
  const refresh = () => setNow(Date.now());
  const update = (change: Partial<AuditFilterInput> & { range?: RangePreset }, replace = false) => {
    refresh();
    const { range, ...filter } = change;
    const next = { range: range ?? view.range, filter: { ...view.filter, ...filter } };
    for (const [k, v] of Object.entries(filter))
      if (v === undefined) delete (next.filter as Record<string, unknown>)[k];
    setParams(writeView(next), { replace });
  };
  const replaceAll = (range: RangePreset, filter: AuditFilterInput) => {
    refresh();
    setParams(writeView({ range, filter }));
  };
  return { view, update, replaceAll, refresh };
}

/** The filters in one line, `key=value` with several types joined by `|`; '' for none. */
export function describeFilter(filter: AuditFilterInput): string {
  return Object.entries(filter)
    .filter(([, value]) => value !== undefined)
    .map(
      ([key, value]) =>
        `${key}=${Array.isArray(value) ? value.map((type) => shortEventType(String(type))).join('|') : String(value)}`,
    )
    .join(', ');
}
