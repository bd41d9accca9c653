import type { CallsOf, HandlerSlice } from '../router';
import { actorOf, type HandlerDeps } from '../handler-context';

/** The rollout's message templates and their export as a message file. */
export function templatesHandlers({ templates, rollout }: HandlerDeps) {
  return {
    'templates.list': async () => ({ templates: await templates.list() }),

    'templates.save': (input, ctx) => templates.save(input, actorOf(ctx), ctx.client),

    'templates.reset': (input, ctx) => templates.reset(input.id, actorOf(ctx), ctx.client),

    'templates.exportEml': (input, ctx) => rollout.exportMessage(input, actorOf(ctx)),
  } satisfies HandlerSlice<CallsOf<'templates'>>;
}
