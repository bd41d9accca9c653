import type { CallsOf, HandlerSlice } from '../router';
import { actorOf, type HandlerDeps } from '../handler-context';

/** The three-phase rollout: status, announcement, dry run, adoption, the rendered message. */
export function rolloutHandlers({ rollout }: HandlerDeps) {
  return {
    'rollout.get': () => rollout.status(),

    'rollout.announce': (input, ctx) => {
      const { enforcementDate, override } = input;
      return rollout.announce({ enforcementDate, override }, actorOf(ctx), ctx.client);
    },

    'rollout.preview': () => rollout.preview(),

    'rollout.adoptionHistory': () => rollout.adoptionHistory(),

    'rollout.renderMessage': (input) => rollout.renderMessage(input),
  } satisfies HandlerSlice<CallsOf<'rollout'>>;
}
