import type { CallsOf, HandlerSlice } from '../router';
import { actorOf, type HandlerDeps } from '../handler-context';

/** The detectors (the registry), their findings over the trail, and their thresholds. */
export function detectionsHandlers({ detections, patternSettings }: HandlerDeps) {
  return {
    'detections.list': () => ({ detectors: detections.list() }),

    'audit.patterns': (input) => detections.findings(input),

    'audit.getPatternSettings': () => patternSettings.get(),

    'audit.updatePatternSettings': (input, ctx) =>
      patternSettings.update(input.settings, actorOf(ctx), ctx.client),
  } satisfies HandlerSlice<
    | CallsOf<'detections'>
    | 'audit.patterns'
    | 'audit.getPatternSettings'
    | 'audit.updatePatternSettings'
  >;
}
