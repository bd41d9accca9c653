import { describe, expect, it } from 'vitest';
import { detectorInfoSchema, findingSchema } from '../../shared/contract';
import { DomainError } from '../domain-error';
import {
  defaultPatternSettings,
  detectorInfos,
  detectors,
  parsePatternSettings,
  readPatternSettings,
  settingsKeyOf,
} from './registry';

describe('detections registry', () => {
  it('finds every *.detector.ts, each with a unique snake_case kind and settings key', () => {
    const kinds = detectors.map((d) => d.kind);
    expect(kinds).toEqual(expect.arrayContaining(['user_failures', 'new_network', 'coordinated']));
    expect(new Set(kinds).size).toBe(kinds.length);
    for (const kind of kinds) expect(findingSchema.shape.kind.safeParse(kind).success).toBe(true);
    const keys = kinds.map(settingsKeyOf);
    expect(new Set(keys).size).toBe(keys.length);
    expect(settingsKeyOf('user_failures')).toBe('userFailures');
  });

  it('every detector has a title, a description, and settings whose defaults parse', () => {
    for (const detector of detectors) {
      expect(detector.title.length, detector.kind).toBeGreaterThan(0);
      expect(detector.description.length, detector.kind).toBeGreaterThan(0);
      const defaults = detector.settings.parse({});
      expect(detector.settings.parse(defaults)).toEqual(defaults);
      expect(defaultPatternSettings[settingsKeyOf(detector.kind)]).toEqual(defaults);
    }
  });

  it('keeps the thresholds the guide patterns had before the registry', () => {
    // toMatchObject: later detectors add their own keys beside these.
    expect(defaultPatternSettings).toMatchObject({
      userFailures: { minFailures: 5, windowMinutes: 60 },
      newNetwork: { lookbackDays: 90, baselineDays: 3, baselineSpanDays: 7 },
      coordinated: {
        burstUsers: 20,
        burstWindowMinutes: 10,
        sprayUsers: 5,
        sprayWindowMinutes: 60,
      },
    });
  });

  it('describes each detector for the UI: every setting labelled, bounded and defaulted', () => {
    const infos = detectorInfos();
    expect(infos.map((i) => i.kind)).toEqual(detectors.map((d) => d.kind));
    for (const info of infos) {
      expect(detectorInfoSchema.parse(info)).toEqual(info);
      const defaults = defaultPatternSettings[info.settingsKey]!;
      for (const [name, field] of Object.entries(info.settings.properties)) {
        expect(field.title, `${info.kind}.${name}`).toBeTruthy();
        expect(field.minimum, `${info.kind}.${name}`).toBeTypeOf('number');
        expect(field.maximum, `${info.kind}.${name}`).toBeTypeOf('number');
        expect(field.default).toBe(defaults[name]);
      }
    }
    const userFailures = infos.find((i) => i.kind === 'user_failures')!;
    expect(userFailures.settings.properties.minFailures).toMatchObject({
      title: 'Failures in a row',
      type: 'integer',
      minimum: 2,
      maximum: 1000,
      default: 5,
    });
  });

  it('refuses settings a detector refuses, naming the field; and unknown or missing detectors', () => {
    const refusal = (input: unknown) => {
      try {
        parsePatternSettings(input);
      } catch (error) {
        expect(error).toBeInstanceOf(DomainError);
        return (error as DomainError).details;
      }
      throw new Error('accepted');
    };
    expect(
      refusal({
        ...defaultPatternSettings,
        userFailures: { minFailures: 1, windowMinutes: 30 },
      }),
    ).toEqual({
      kind: 'fields',
      fields: { 'settings.userFailures.minFailures': expect.any(String) },
    });
    expect(refusal({ ...defaultPatternSettings, nonsense: {} })).toMatchObject({ kind: 'fields' });
    const { coordinated: _, ...missing } = defaultPatternSettings;
    expect(refusal(missing)).toMatchObject({
      fields: { 'settings.coordinated': expect.any(String) },
    });
    expect(parsePatternSettings(defaultPatternSettings)).toEqual(defaultPatternSettings);
  });

  it('reads older stored settings: what is missing or no longer valid takes its defaults', () => {
    const stored = {
      userFailures: { minFailures: 3, windowMinutes: 30 },
      newNetwork: { lookbackDays: 1 },
    };
    expect(readPatternSettings(stored)).toEqual({
      ...defaultPatternSettings,
      userFailures: { minFailures: 3, windowMinutes: 30 },
    });
    expect(readPatternSettings(null)).toEqual(defaultPatternSettings);
  });
});
