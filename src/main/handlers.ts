import { randomUUID } from 'node:crypto';
import type { SessionUser } from '../shared/domain';
import { DomainError } from './domain-error';
import type { HandlerContext, Handlers } from './router';
import type { AnalyticsRunner } from './analytics/runner';
import type { Clock } from './clock';
import type { PushBus } from './push-bus';
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

/** The admin behind an admin call, as audit rows name them. */
function actorOf(ctx: HandlerContext) {
  const user = userOf(ctx);
  return { id: user.id, email: user.email };
}

/** Binds each contract call to its service; access and validation already happened in the router. */
export function createHandlers(
  services: Services & { analytics: AnalyticsRunner; clock: Clock },
  push: PushBus,
): Handlers {
  const { org, auth, twoFactor, account, users, reauth, analytics, clock, patternSettings } =
    services;

  /** Sensitive actions first re-check who is asking (DESIGN: enforced here, for every transport). */
  const proven = (
    ctx: HandlerContext,
    input: { code?: string; currentPassword?: string },
    options: { fresh?: boolean } = {},
  ) =>
    reauth.ensureRecent(
      tokenOf(ctx),
      userOf(ctx),
      { code: input.code, password: input.currentPassword },
      ctx.client,
      options,
    );

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

    'org.updateSettings': async (input, ctx) => {
      await proven(ctx, input);
      const user = userOf(ctx);
      const { enabled, required, requiredFor } = input;
      return org.updateSettings({ enabled, required, requiredFor }, user, ctx.client);
    },

    'org.previewRequirement': async (input) => ({
      users: await users.wouldBeRedirected(input.requiredFor),
    }),

    'auth.reauthStatus': (_input, ctx) => reauth.status(tokenOf(ctx), userOf(ctx)),

    'users.list': async (input) => ({ users: await users.list(input) }),

    'users.get': (input) => users.get(input.userId),

    'users.add': async (input, ctx) => {
      await proven(ctx, input);
      const { email, name, role, password } = input;
      return users.add({ email, name, role, password }, ctx.client, actorOf(ctx));
    },

    'users.import': async (input, ctx) => {
      await proven(ctx, input);
      const jobId = randomUUID();
      const sessionToken = tokenOf(ctx);
      const imported = await users.importCsv(input.csv, ctx.client, actorOf(ctx), (done, total) =>
        push.emit(
          'job.progress',
          {
            jobId,
            kind: 'users.import',
            done,
            total,
            message: `Preparing ${done} of ${total} users`,
            finished: false,
          },
          sessionToken,
        ),
      );
      push.emit(
        'job.progress',
        {
          jobId,
          kind: 'users.import',
          done: imported.length,
          total: imported.length,
          message: 'Imported',
          finished: true,
        },
        sessionToken,
      );
      return { users: imported };
    },

    'users.setRole': async (input, ctx) => {
      await proven(ctx, input);
      await users.setRole(input.userId, input.role, ctx.client, actorOf(ctx));
      return {};
    },

    'users.deactivate': async (input, ctx) => {
      await proven(ctx, input);
      await users.deactivate(input.userId, ctx.client, actorOf(ctx));
      return {};
    },

    'users.resetTwoFactor': async (input, ctx) => {
      await proven(ctx, input, { fresh: true });
      await users.resetTwoFactor(input.userId, ctx.client, actorOf(ctx));
      return {};
    },

    'users.unlock': async (input, ctx) => {
      await proven(ctx, input, { fresh: true });
      await users.unlock(input.userId, ctx.client, actorOf(ctx));
      return {};
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

    'audit.query': (input) => analytics.run('page', input),

    'audit.patterns': async (input) =>
      analytics.run('patterns', input, clock.now(), await patternSettings.get()),

    'audit.timeline': (input) => analytics.run('timeline', input, clock.now()),

    'audit.top': (input) => analytics.run('top', input, clock.now()),

    'audit.heatmap': (input) => analytics.run('heatmap', input, clock.now()),

    'audit.getPatternSettings': () => patternSettings.get(),

    'audit.updatePatternSettings': async (input, ctx) => {
      await proven(ctx, input);
      return patternSettings.update(input.settings, actorOf(ctx), ctx.client);
    },
  };
}
