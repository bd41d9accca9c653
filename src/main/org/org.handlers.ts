import type { CallsOf, HandlerSlice } from '../router';
import { userOf, type HandlerDeps } from '../handler-context';

/** First run, bootstrap state and the org's two-factor switches. */
export function orgHandlers({ org, users }: HandlerDeps) {
  return {
    'app.bootstrap': () => org.bootstrap(),

    'org.create': (input, ctx) => org.create(input, ctx.client),

    'org.getSettings': () => org.getSettings(),

    'org.updateSettings': (input, ctx) => {
      const { enabled, required, requiredFor } = input;
      return org.updateSettings({ enabled, required, requiredFor }, userOf(ctx), ctx.client);
    },

    'org.previewRequirement': async (input) => ({
      users: await users.wouldBeRedirected(input.requiredFor),
    }),
  } satisfies HandlerSlice<CallsOf<'app' | 'org'>>;
}
