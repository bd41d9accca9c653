/// <reference types="vite/types/importMeta.d.ts" />
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { DetectorInfo, Finding, PatternSettings } from '../../shared/contract';
import { DomainError } from '../domain-error';
import { locationSummary } from '../store/ip-locations.store';
import type { Db } from '../store/schema';
import type { Range } from '../store/verification-queries';
import { nothingTrusted, type Detector, type TrustedNetworks } from './detector';
import { withoutSuperseded } from './supersession';

/**
 * Every `*.detector.ts` beside this file, found at build time (vite, vitest and electron-vite
 * all expand import.meta.glob), in the order of their kinds: adding a detector is adding a file.
 */
export const detectors: readonly Detector[] = Object.values(
  import.meta.glob<Detector>('./*.detector.ts', { eager: true, import: 'default' }),
).sort((a, b) => a.kind.localeCompare(b.kind));

/** Where a detector's thresholds live in the settings record: its kind in camelCase. */
export function settingsKeyOf(kind: string): string {
  return kind.replace(/_([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
}

/** Every detector's thresholds, each required and checked against its own schema. */
export const patternSettingsSchema = z
  .object(Object.fromEntries(detectors.map((d) => [settingsKeyOf(d.kind), d.settings])))
  .strict();

export const defaultPatternSettings: PatternSettings = Object.fromEntries(
  detectors.map((d) => [settingsKeyOf(d.kind), d.settings.parse({})]),
);

/** Settings to save: every detector's, valid, or INVALID_INPUT naming each refused field. */
export function parsePatternSettings(input: unknown): PatternSettings {
  const parsed = patternSettingsSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const fields: Record<string, string> = {};
  for (const issue of parsed.error.issues)
    fields[['settings', ...issue.path].join('.')] ??= issue.message;
  const [[field, message] = ['settings', 'invalid']] = Object.entries(fields);
  throw new DomainError('INVALID_INPUT', `${field}: ${message}`, undefined, {
    kind: 'fields',
    fields,
  });
}

/**
 * Settings as saved earlier, read leniently: a detector saved before a later version (or not
 * saved at all, being newer) gets its defaults; the others keep what the admin chose.
 */
export function readPatternSettings(stored: unknown): PatternSettings {
  const record: Record<string, unknown> =
    typeof stored === 'object' && stored !== null ? (stored as Record<string, unknown>) : {};
  return Object.fromEntries(
    detectors.map((d) => {
      const key = settingsKeyOf(d.kind);
      const parsed = d.settings.safeParse(record[key] ?? {});
      return [key, parsed.success ? parsed.data : d.settings.parse({})];
    }),
  );
}

/** What the settings form and the findings panel need of each detector. */
export function detectorInfos(): DetectorInfo[] {
  return detectors.map((d) => ({
    kind: d.kind,
    settingsKey: settingsKeyOf(d.kind),
    title: d.title,
    description: d.description,
    settings: z.toJSONSchema(d.settings, { io: 'input' }) as DetectorInfo['settings'],
  }));
}

function findingId(kind: string, parts: Array<string | number>): string {
  return createHash('sha256')
    .update([kind, ...parts].join('|'))
    .digest('hex')
    .slice(0, 16);
}

const severityRank = { high: 0, medium: 1, low: 2 };

/** Every detector over a range with the given settings: the most severe, then newest, first. */
export async function runDetectors(
  db: Db,
  range: Range,
  settings: PatternSettings,
  trusted: TrustedNetworks = nothingTrusted,
): Promise<Finding[]> {
  const findings: Finding[] = [];
  for (const detector of detectors) {
    const own = detector.settings.parse(settings[settingsKeyOf(detector.kind)] ?? {});
    for (const { idParts, ...found } of await detector.detect({
      db,
      range,
      settings: own,
      trusted,
    })) {
      const { countries, asns, remedies, ...rest } = found;
      findings.push({
        id: findingId(detector.kind, idParts),
        kind: detector.kind,
        ...rest,
        ...(countries && asns ? { countries, asns } : await locationSummary(db, found.ips)),
        remedies: remedies ?? [],
      });
    }
  }
  const supersedes = new Map(detectors.map((d) => [d.kind, d.supersedes ?? []]));
  const absorbs = new Map(detectors.map((d) => [d.kind, d.absorbs ?? []]));
  // Stable sort: equal findings stay in detector (kind) order, each detector's in its own.
  return withoutSuperseded(findings, supersedes, absorbs).sort(
    (a, b) => severityRank[a.severity] - severityRank[b.severity] || b.start.localeCompare(a.start),
  );
}
