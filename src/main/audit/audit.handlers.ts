import path from 'node:path';
import type { CallsOf, HandlerSlice } from '../router';
import { actorOf, ownerOf, tokenOf, type HandlerDeps } from '../handler-context';
import type { HandlerContext } from '../router';
import type { JobHandle } from '../jobs/job-protocol';
import type { JobResult, JobSpec } from '../jobs/jobs';
import { verificationReport } from './audit-verify';
import { exportFileName } from './export-events';
import { rejectedFileName } from './import-events';

type PatternCalls = 'audit.patterns' | 'audit.getPatternSettings' | 'audit.updatePatternSettings';

/** The audit trail: its views, import, export and verification (detections have their own). */
export function auditHandlers({ analytics, clock, transfers, jobs }: HandlerDeps) {
  /** Runs long audit work as the caller's job: its progress to them, their cancel stops it. */
  const runAuditJob = async <K extends JobSpec['kind']>(
    ctx: HandlerContext & { job: JobHandle },
    spec: JobSpec & { kind: K },
  ): Promise<Extract<JobResult, { kind: K }>> => {
    const running = transfers.jobs.start(
      spec,
      { client: ctx.client, actor: actorOf(ctx), now: clock.now() },
      (progress) => ctx.job.progress(progress.done, progress.total, spec.kind),
    );
    ctx.job.signal.addEventListener('abort', () => running.cancel(), { once: true });
    const done = await running.result;
    if (done.kind !== spec.kind) throw new Error('unexpected job result');
    return done as Extract<JobResult, { kind: K }>;
  };

  /** A file main wrote for the caller: a download for their session, or where it was saved. */
  const offered = (ctx: HandlerContext, file: string) => {
    const downloadUrl = transfers.exports.offer(ownerOf(ctx), file);
    return { fileName: path.basename(file), downloadUrl, savedTo: downloadUrl ? null : file };
  };

  return {
    'audit.query': (input) => analytics.run('page', input),

    'audit.getEvent': (input) => analytics.run('event', input.id),

    'audit.timeline': (input) => analytics.run('timeline', input, clock.now()),

    'audit.top': (input) => analytics.run('top', input, clock.now()),

    'audit.heatmap': (input) => analytics.run('heatmap', input, clock.now()),

    'audit.countries': (input) => analytics.run('countries', input, clock.now()),

    'audit.summary': (input) => analytics.run('summary', input, clock.now()),

    'audit.import': async (input, ctx) => {
      const upload = transfers.uploads.take(ownerOf(ctx), input.uploadId);
      try {
        const { result } = await runAuditJob(ctx, {
          kind: 'import',
          file: upload.path,
          displayName: upload.fileName,
          skipInvalid: input.skipInvalid,
        });
        const { rejectedFile, ...counts } = result;
        if (!rejectedFile) return { ...counts, rejectedFile: null };
        // The rejected lines leave the upload's folder (which goes below) for the exports' place.
        const saved = await transfers.exports.moveIn(
          rejectedFile,
          rejectedFileName(upload.fileName),
        );
        return { ...counts, rejectedFile: offered(ctx, saved) };
      } finally {
        upload.discard();
      }
    },

    'audit.export': async (input, ctx) => {
      const out = transfers.exports.pathFor(exportFileName(clock.now(), input.format));
      const { manifest } = await runAuditJob(ctx, {
        kind: 'export',
        format: input.format,
        filters: input.filters,
        out,
      });
      return { ...offered(ctx, out), manifest };
    },

    'audit.verifyChain': async (_input, ctx) =>
      verificationReport((await runAuditJob(ctx, { kind: 'verify' })).result),

    'audit.cancelJob': (input, ctx) => ({ cancelled: jobs.cancel(input.jobId, tokenOf(ctx)) }),
  } satisfies HandlerSlice<Exclude<CallsOf<'audit'>, PatternCalls>>;
}
