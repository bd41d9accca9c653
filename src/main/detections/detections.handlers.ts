import type { HandlerSlice } from '../router';
import { actorOf, type HandlerDeps } from '../handler-context';

/** The failed-attempt patterns over the trail, and their thresholds. */
export function detectionsHandlers({ analytics, clock, patternSettings }: HandlerDeps) {
  return {
    'audit.patterns': async (input) =>
      analytics.run('patterns', input, clock.now(), await patternSettings.get()),

    'audit.getPatternSettings': () => patternSettings.get(),

    'audit.updatePatternSettings': (input, ctx) =>
      patternSettings.update(input.settings, actorOf(ctx), ctx.client),
  } satisfies HandlerSlice<
    'audit.patterns' | 'audit.getPatternSettings' | 'audit.updatePatternSettings'
  >;
}
