import { actorOf, type HandlerDeps } from '../handler-context';
import type { CallsOf, HandlerSlice } from '../router';

/** Where addresses' countries and networks come from, and the admin's choice of files. */
export function geoHandlers({ geo }: HandlerDeps) {
  return {
    'geo.about': () => geo.about(),

    'geo.setDirectory': ({ directory }, ctx) =>
      geo.setDirectory(directory, actorOf(ctx), ctx.client),
  } satisfies HandlerSlice<CallsOf<'geo'>>;
}
