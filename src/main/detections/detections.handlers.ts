import type { CallsOf, HandlerSlice } from '../router';
import { actorOf, type HandlerDeps } from '../handler-context';

/** The detectors (the registry), their findings, their thresholds and the trusted networks. */
export function detectionsHandlers({ detections, patternSettings, trustedNetworks }: HandlerDeps) {
  return {
    'detections.list': () => ({ detectors: detections.list() }),

    'detections.getTrustedNetworks': () => trustedNetworks.get(),

    'detections.updateTrustedNetworks': ({ networks, ordinaryPercent }, ctx) =>
      trustedNetworks.update({ networks, ordinaryPercent }, actorOf(ctx), ctx.client),

    'detections.trustNetwork': ({ value, label }, ctx) =>
      trustedNetworks.trust({ value, label }, actorOf(ctx), ctx.client),

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
