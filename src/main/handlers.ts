import type { Handlers } from './router';
import type { Services } from './services';

/** Binds each contract call to its service; access and validation already happened in the router. */
export function createHandlers(services: Services): Handlers {
  const { org, auth } = services;
  return {
    'app.bootstrap': () => org.bootstrap(),

    'org.create': (input, ctx) => org.create(input, ctx.client),

    'auth.session': (_input, ctx) =>
      ctx.caller.user
        ? { state: ctx.caller.state, user: ctx.caller.user }
        : { state: ctx.caller.state },

    'auth.signIn': async (input, ctx) => {
      // A new sign-in replaces whatever session this client held.
      await auth.signOut(ctx.session.token, ctx.client);
      const { token, state } = await auth.signIn(input, ctx.client);
      ctx.session.token = token;
      return { state };
    },

    'auth.signOut': async (_input, ctx) => {
      await auth.signOut(ctx.session.token, ctx.client);
      ctx.session.token = null;
      return {};
    },
  };
}
