import type { CallsOf, HandlerSlice } from '../router';
import { tokenOf, userOf, type HandlerDeps } from '../handler-context';

/** Sign-in, sign-out, the session, and the caller's own account. */
export function authHandlers({ auth, account, reauth }: HandlerDeps) {
  return {
    'auth.session': (_input, ctx) =>
      ctx.caller.user
        ? { state: ctx.caller.state, user: ctx.caller.user }
        : { state: ctx.caller.state },

    'auth.signIn': async (input, ctx) => {
      // A new sign-in replaces whatever session this client held.
      await auth.signOut(ctx.session.token, ctx.client);
      ctx.session.token = null;
      const { token, state } = await auth.signIn(input, ctx.client);
      ctx.session.token = token;
      return { state };
    },

    'auth.verify': async (input, ctx) => ({
      state: await auth.verifySecondFactor(tokenOf(ctx), input.code, ctx.client),
    }),

    'auth.signOut': async (_input, ctx) => {
      await auth.signOut(ctx.session.token, ctx.client);
      ctx.session.token = null;
      return {};
    },

    'auth.reauthStatus': (_input, ctx) => reauth.status(tokenOf(ctx), userOf(ctx)),

    'account.changePassword': async (input, ctx) => {
      await account.changePassword(userOf(ctx), input, ctx.client, tokenOf(ctx));
      return {};
    },

    'account.notices': async (_input, ctx) => ({ notices: await account.notices(userOf(ctx)) }),

    'account.dismissNotice': async (input, ctx) => {
      await account.dismissNotice(userOf(ctx), input.id);
      return {};
    },
  } satisfies HandlerSlice<CallsOf<'auth' | 'account'>>;
}
