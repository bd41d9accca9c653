import { z } from 'zod';

/** Thresholds of the three failed-attempt patterns; defaults suit an org of about 10,000 users. */
export const patternSettingsSchema = z.object({
  userFailures: z.object({
    minFailures: z.number().int().min(2).max(1000),
    windowMinutes: z
      .number()
      .int()
      .min(1)
      .max(24 * 60),
  }),
  newNetwork: z.object({
    lookbackDays: z.number().int().min(7).max(365),
    baselineDays: z.number().int().min(1).max(90),
    baselineSpanDays: z.number().int().min(0).max(90),
  }),
  coordinated: z.object({
    burstUsers: z.number().int().min(2).max(100_000),
    burstWindowMinutes: z
      .number()
      .int()
      .min(1)
      .max(24 * 60),
    sprayUsers: z.number().int().min(2).max(100_000),
    sprayWindowMinutes: z
      .number()
      .int()
      .min(1)
      .max(24 * 60),
  }),
});
export type PatternSettings = z.infer<typeof patternSettingsSchema>;

export const defaultPatternSettings: PatternSettings = {
  // The guide's "multiple failed attempts from same user": 5 in an hour with no success between.
  userFailures: { minFailures: 5, windowMinutes: 60 },
  // "Unusual locations": a /24 or /48 not seen for 90 days, once 3 days over a week of history exist.
  newNetwork: { lookbackDays: 90, baselineDays: 3, baselineSpanDays: 7 },
  // "Many failed attempts across users": 20 users within 10 minutes is far above the few typos
  // per 10 minutes of 10,000 people signing in; 5 users from one network within an hour is spraying.
  coordinated: { burstUsers: 20, burstWindowMinutes: 10, sprayUsers: 5, sprayWindowMinutes: 60 },
};

export const findingKinds = ['user_failures', 'new_network', 'coordinated'] as const;
export type FindingKind = (typeof findingKinds)[number];
export const severities = ['low', 'medium', 'high'] as const;
