import { z } from 'zod';
import type { Finding } from '../../shared/contract';
import type { Db } from '../store/schema';
import type { Range } from '../store/verification-queries';

import { MINUTE_MS } from '../audit/time-range';

export { DAY_MS, MINUTE_MS } from '../audit/time-range';
export const HOUR_MS = 60 * MINUTE_MS;

/**
 * The org's own networks (office, VPN egress; detections.*TrustedNetworks) and the networks most
 * of its users use: location detectors make no finding for them.
 */
export interface TrustedNetworks {
  isTrusted(ip: string | null, asn: number | null): boolean;
}

export const nothingTrusted: TrustedNetworks = { isTrusted: () => false };

/** What a detector works on: the store (read only), the period, its own settings, trust. */
export interface DetectorContext<Settings> {
  db: Db;
  range: Range;
  settings: Settings;
  trusted: TrustedNetworks;
}

/**
 * A finding as a detector reports it. The registry adds `kind` and the `id`, a hash of the kind
 * and `idParts`: the same events give the same id on every run, so links and triage survive.
 * Countries and autonomous systems default to those of `ips` (ip_locations); remedies to none.
 */
export type DetectedFinding = Omit<Finding, 'id' | 'kind' | 'countries' | 'asns' | 'remedies'> &
  Partial<Pick<Finding, 'countries' | 'asns' | 'remedies'>> & { idParts: Array<string | number> };

/** A detector; `Settings` is its own schema, so `detect` sees its own settings' types. */
export interface Detector<Settings extends z.ZodObject = z.ZodObject> {
  /** Stable name (snake_case): findings carry it, and settings live under its camelCase. */
  kind: string;
  /** What the findings panel and the settings form call it. */
  title: string;
  /** One sentence: what it looks for. */
  description: string;
  /**
   * Its thresholds, every field with a default, a `.meta({ title })` label and bounds: the
   * settings form is built from this schema, and stored settings are read through it.
   */
  settings: Settings;
  /**
   * Kinds this one's findings make redundant (a specific rule over a general one): a finding of
   * such a kind whose events all lie within one of this detector's is not reported
   * (supersession.ts). One attack, one finding.
   */
  supersedes?: readonly string[];
  /**
   * Location kinds this one's findings make redundant when they name no other user or address
   * and fall within its time span: the same people at the same moment, seen by where they came
   * from (a spray's accounts are also "new country" for each of them). One attack, one finding.
   */
  absorbs?: readonly string[];
  detect(context: DetectorContext<z.output<Settings>>): Promise<DetectedFinding[]>;
}

/** When a user counts as established for the location detectors: the same rule in each. */
export const baselineSettings = {
  baselineDays: z
    .number()
    .int()
    .min(1)
    .max(90)
    .default(3)
    .meta({ title: 'Baseline: sign-in days' }),
  baselineSpanDays: z
    .number()
    .int()
    .min(0)
    .max(90)
    .default(7)
    .meta({ title: 'Baseline: spanning days' }),
};

/**
 * One detector: a file `<name>.detector.ts` in this folder whose default export is
 * `defineDetector({...})` is all it takes; registry.ts finds it.
 */
export function defineDetector<Settings extends z.ZodObject>(
  detector: Detector<Settings>,
): Detector<Settings> {
  return detector;
}

export const iso = (ms: number) => new Date(ms).toISOString();

/** "12 minutes", "1 minute", "under a minute": for a finding's `why`. */
export function minutesBetween(fromMs: number, toMs: number): string {
  const minutes = Math.round((toMs - fromMs) / MINUTE_MS);
  if (minutes < 1) return 'under a minute';
  return minutes === 1 ? '1 minute' : `${minutes} minutes`;
}

/** Merges time ranges that overlap or touch (within `gapMs`). */
export function mergeRanges(
  items: Array<{ firstTs: number; lastTs: number }>,
  gapMs: number,
): Array<{ firstTs: number; lastTs: number }> {
  const sorted = [...items].sort((a, b) => a.firstTs - b.firstTs);
  const merged: Array<{ firstTs: number; lastTs: number }> = [];
  for (const item of sorted) {
    const last = merged.at(-1);
    if (last && item.firstTs <= last.lastTs + gapMs)
      last.lastTs = Math.max(last.lastTs, item.lastTs);
    else merged.push({ firstTs: item.firstTs, lastTs: item.lastTs });
  }
  return merged;
}

/** Items grouped by a key, groups in the order their first item came. */
export function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

/** The distinct non-empty values, sorted: a finding's users and addresses. */
export function distinctSorted(values: ReadonlyArray<string | null>): string[] {
  return [...new Set(values.filter((value): value is string => Boolean(value)))].sort();
}
