import { DomainError } from '../domain-error';
import type { PushBus } from '../push-bus';

/** What a job's handler sees: where to report progress and how it learns it was cancelled. */
export interface JobHandle {
  readonly id: string;
  /** Sends `job.progress` to the caller's session only. */
  progress(done: number, total: number | null, message: string): void;
  /** Aborted when the caller cancels the job. */
  readonly signal: AbortSignal;
  /** For work that checks between its steps: stops it once cancelled, before it writes. */
  throwIfCancelled(): void;
}

/**
 * The one job mechanism behind every contract call declared `job: true`: the router runs the
 * handler under the client's job id, the caller gets its progress and a last `finished` push,
 * and `audit.cancelJob` from the same session aborts it.
 */
export interface JobProtocol {
  run<T>(
    call: string,
    jobId: string,
    sessionToken: string,
    work: (job: JobHandle) => Promise<T>,
  ): Promise<T>;
  /** Whether a running job of this session's with that id was told to stop. */
  cancel(jobId: string, sessionToken: string): boolean;
}

export function createJobProtocol(push: PushBus): JobProtocol {
  const running = new Map<string, { sessionToken: string; controller: AbortController }>();
  return {
    async run(call, jobId, sessionToken, work) {
      if (running.has(jobId)) throw new DomainError('CONFLICT', `Job ${jobId} is already running.`);
      const controller = new AbortController();
      running.set(jobId, { sessionToken, controller });
      const send = (done: number, total: number | null, message: string, finished: boolean) =>
        push.emit(
          'job.progress',
          { jobId, kind: call, done, total, message, finished },
          sessionToken,
        );
      try {
        return await work({
          id: jobId,
          signal: controller.signal,
          throwIfCancelled: () => {
            if (controller.signal.aborted)
              throw new DomainError('CONFLICT', 'The job was cancelled; nothing was changed.');
          },
          progress: (done, total, message) => send(done, total, message, false),
        });
      } finally {
        running.delete(jobId);
        send(0, null, call, true);
      }
    },
    cancel(jobId, sessionToken) {
      const job = running.get(jobId);
      if (!job || job.sessionToken !== sessionToken) return false;
      job.controller.abort();
      return true;
    },
  };
}
