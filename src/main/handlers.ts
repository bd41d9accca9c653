import { randomUUID } from 'node:crypto';
import type { SessionUser } from '../shared/domain';
import { DomainError } from './domain-error';
import type { HandlerContext, Handlers } from './router';
import type { AnalyticsRunner } from './analytics/runner';
import type { Clock } from './clock';
import path from 'node:path';
import type { JobSpec } from './audit-io/jobs';
import type { Transfers } from './app';
import type { PushBus } from './push-bus';
import { hashSessionToken } from './services/auth.service';
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
  services: Services & { analytics: AnalyticsRunner; clock: Clock; transfers: Transfers },
  push: PushBus,
): Handlers {
  const {
    org,
    auth,
    twoFactor,
    account,
    users,
    reauth,
    analytics,
    clock,
    patternSettings,
    transfers,
    rollout,
    templates,
  } = services;

  /** Runs a long audit job as the caller, reporting progress to them only, cancellable by id. */
  const runJob = async (ctx: HandlerContext, jobId: string, spec: JobSpec, kind: string) => {
    const token = tokenOf(ctx);
    const running = transfers.jobs.start(
      spec,
      { client: ctx.client, actor: actorOf(ctx), now: clock.now() },
      (progress) =>
        push.emit(
          'job.progress',
          {
            jobId,
            kind,
            done: progress.done,
            total: progress.total,
            message: kind,
            finished: false,
          },
          token,
        ),
    );
    transfers.registry.add(jobId, hashSessionToken(token), running);
    try {
      return await running.result;
    } finally {
      push.emit(
        'job.progress',
        { jobId, kind, done: 0, total: null, message: kind, finished: true },
        token,
      );
    }
  };
  const owner = (ctx: HandlerContext) => hashSessionToken(tokenOf(ctx));

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

    'rollout.get': () => rollout.status(),

    'rollout.announce': async (input, ctx) => {
      await proven(ctx, input);
      const { enforcementDate, override } = input;
      return rollout.announce({ enforcementDate, override }, actorOf(ctx), ctx.client);
    },

    'rollout.preview': () => rollout.preview(),

    'rollout.adoptionHistory': () => rollout.adoptionHistory(),

    'rollout.renderMessage': (input) => rollout.renderMessage(input),

    'templates.list': async () => ({ templates: await templates.list() }),

    'templates.save': (input, ctx) => templates.save(input, actorOf(ctx), ctx.client),

    'templates.reset': (input, ctx) => templates.reset(input.id, actorOf(ctx), ctx.client),

    'templates.exportEml': (input, ctx) => rollout.exportMessage(input, actorOf(ctx)),

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

    'account.notices': async (_input, ctx) => ({ notices: await account.notices(userOf(ctx)) }),

    'account.dismissNotice': async (input, ctx) => {
      await account.dismissNotice(userOf(ctx), input.id);
      return {};
    },

    'audit.query': (input) => analytics.run('page', input),

    'audit.getEvent': (input) => analytics.run('event', input.id),

    'audit.patterns': async (input) =>
      analytics.run('patterns', input, clock.now(), await patternSettings.get()),

    'audit.timeline': (input) => analytics.run('timeline', input, clock.now()),

    'audit.top': (input) => analytics.run('top', input, clock.now()),

    'audit.heatmap': (input) => analytics.run('heatmap', input, clock.now()),

    'uploads.begin': (input, ctx) => ({
      uploadId: transfers.uploads.begin(owner(ctx), input.fileName, input.size),
    }),

    'uploads.append': (input, ctx) => ({
      received: transfers.uploads.append(
        owner(ctx),
        input.uploadId,
        input.offset,
        Buffer.from(input.data, 'base64'),
      ),
    }),

    'uploads.discard': (input, ctx) => {
      transfers.uploads.discard(owner(ctx), input.uploadId);
      return {};
    },

    'audit.import': async (input, ctx) => {
      const upload = transfers.uploads.take(owner(ctx), input.uploadId);
      try {
        const done = await runJob(
          ctx,
          input.jobId,
          {
            kind: 'import',
            file: upload.path,
            displayName: upload.fileName,
            skipInvalid: input.skipInvalid,
          },
          'audit.import',
        );
        if (done.kind !== 'import') throw new Error('unexpected job result');
        const { rejectedFile, ...counts } = done.result;
        if (!rejectedFile) return { ...counts, rejectedFile: null };
        // The rejected lines leave the upload's folder (which goes below) for the exports' place.
        const saved = await transfers.exports.moveIn(
          rejectedFile,
          `${upload.fileName}.rejected.jsonl`,
        );
        const downloadUrl = transfers.exports.offer(owner(ctx), saved);
        return {
          ...counts,
          rejectedFile: {
            fileName: path.basename(saved),
            downloadUrl,
            savedTo: downloadUrl ? null : saved,
          },
        };
      } finally {
        upload.discard();
      }
    },

    'audit.export': async (input, ctx) => {
      const stamp = new Date(clock.now()).toISOString().slice(0, 19).replace(/[:T]/g, '-');
      const out = transfers.exports.pathFor(`org2fa-audit-${stamp}.${input.format}`);
      const done = await runJob(
        ctx,
        input.jobId,
        { kind: 'export', format: input.format, filters: input.filters, out },
        'audit.export',
      );
      if (done.kind !== 'export') throw new Error('unexpected job result');
      const downloadUrl = transfers.exports.offer(owner(ctx), out);
      return {
        fileName: path.basename(out),
        downloadUrl,
        savedTo: downloadUrl ? null : out,
        manifest: done.manifest,
      };
    },

    'audit.verifyChain': async (input, ctx) => {
      const done = await runJob(ctx, input.jobId, { kind: 'verify' }, 'audit.verifyChain');
      if (done.kind !== 'verify') throw new Error('unexpected job result');
      const result = done.result;
      return result.ok
        ? {
            ok: true,
            count: result.count,
            headHash: result.headHash,
            firstBadId: null,
            message: `Intact: ${result.count} events, each linked to the one before, and the chart counts match them.`,
          }
        : {
            ok: false,
            count: result.count,
            headHash: null,
            firstBadId: result.firstBadId,
            message: result.message,
          };
    },

    'audit.cancelJob': (input, ctx) => ({
      cancelled: transfers.registry.cancel(input.jobId, owner(ctx)),
    }),

    'audit.summary': (input) => analytics.run('summary', input, clock.now()),

    'audit.getPatternSettings': () => patternSettings.get(),

    'audit.updatePatternSettings': async (input, ctx) => {
      await proven(ctx, input);
      return patternSettings.update(input.settings, actorOf(ctx), ctx.client);
    },
  };
}
