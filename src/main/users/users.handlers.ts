import type { CallsOf, HandlerSlice } from '../router';
import { actorOf, type HandlerDeps } from '../handler-context';

/** The admin's user management; the proofs these need are the router's, from the contract. */
export function usersHandlers({ users }: HandlerDeps) {
  return {
    'users.list': async (input) => ({ users: await users.list(input) }),

    'users.get': (input) => users.get(input.userId),

    'users.add': (input, ctx) => {
      const { email, name, role, password } = input;
      return users.add({ email, name, role, password }, ctx.client, actorOf(ctx));
    },

    'users.import': async (input, ctx) => ({
      // Progress comes between hashing batches, before the write: a cancel there imports nothing.
      users: await users.importCsv(input.csv, ctx.client, actorOf(ctx), (done, total) => {
        ctx.job.throwIfCancelled();
        ctx.job.progress(done, total, `Preparing ${done} of ${total} users`);
      }),
    }),

    'users.setRole': async (input, ctx) => {
      await users.setRole(input.userId, input.role, ctx.client, actorOf(ctx));
      return {};
    },

    'users.deactivate': async (input, ctx) => {
      await users.deactivate(input.userId, ctx.client, actorOf(ctx));
      return {};
    },

    'users.resetTwoFactor': async (input, ctx) => {
      await users.resetTwoFactor(input.userId, ctx.client, actorOf(ctx));
      return {};
    },

    'users.unlock': async (input, ctx) => {
      await users.unlock(input.userId, ctx.client, actorOf(ctx));
      return {};
    },
  } satisfies HandlerSlice<CallsOf<'users'>>;
}
