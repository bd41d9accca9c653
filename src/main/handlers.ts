import type { SessionUser } from '../shared/domain';
import { DomainError } from './domain-error';
import type { HandlerContext, Handlers } from './router';
import type { Services } from './services';

/** The signed-in user; the access policy has already guaranteed there is one. */
function userOf(ctx: HandlerContext): SessionUser {
  if (!ctx.caller.user) throw new DomainError('UNAUTHENTICATED', 'Sign in to continue.');
  return ctx.caller.user;
}

function tokenOf(ctx: HandlerContext): string {
  if (!ctx.session.token) throw new DomainError('UNAUTHENTICATED', 'Sign in to continue.');
  return ctx.session.token;
}

/** Binds each contract call to its service; access and validation already happened in the router. */
export function createHandlers(services: Services): Handlers {
  const { org, auth, twoFactor, account, auditQuery } = services;
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

    'org.getSettings': () => org.getSettings(),

    'org.updateSettings': (input, ctx) => {
      const user = userOf(ctx);
      return org.updateSettings(input, { id: user.id, email: user.email }, ctx.client);
    },

    'twoFactor.status': (_input, ctx) => twoFactor.status(userOf(ctx)),

    'twoFactor.beginSetup': (_input, ctx) => twoFactor.beginSetup(userOf(ctx)),

    'twoFactor.confirmSetup': (input, ctx) =>
      twoFactor.confirmSetup(userOf(ctx), input.code, ctx.client),

    'twoFactor.disable': async (input, ctx) => {
      await twoFactor.disable(userOf(ctx), input.code, ctx.client);
      return {};
    },

    'twoFactor.regenerateBackupCodes': (input, ctx) =>
      twoFactor.regenerateBackupCodes(userOf(ctx), input.code, ctx.client),

    'account.changePassword': async (input, ctx) => {
      await account.changePassword(userOf(ctx), input, ctx.client, tokenOf(ctx));
      return {};
    },

    'audit.query': (input) => auditQuery.query(input),
  };
}
