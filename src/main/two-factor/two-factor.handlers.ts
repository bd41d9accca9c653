import type { CallsOf, HandlerSlice } from '../router';
import { userOf, type HandlerDeps } from '../handler-context';

/** The caller's own second factor: setup, status, backup codes, disabling. */
export function twoFactorHandlers({ twoFactor }: HandlerDeps) {
  return {
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
  } satisfies HandlerSlice<CallsOf<'twoFactor'>>;
}
