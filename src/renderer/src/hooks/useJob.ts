import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import type { CallInput, CallName, CallOutput, Contract } from '../../../shared/contract';
import { callApi } from '../api/client';
import { usePushEvent } from '../api/push';

/** The calls the contract declares as jobs: they take a client-chosen `jobId` and push progress. */
export type JobCall = {
  [N in CallName]: Contract[N]['job'] extends true ? N : never;
}[CallName];

/** A job's input without its id, which the hook chooses for each run. */
export type JobInput<N extends JobCall> = Omit<CallInput<N>, 'jobId'>;

export interface JobProgress {
  done: number;
  total: number | null;
}

/**
 * Work to do before the job call itself (an upload), given a signal that `cancel` aborts; it
 * answers the job's input.
 */
export type JobPreparation<N extends JobCall> = (signal: AbortSignal) => Promise<JobInput<N>>;

/**
 * The one job protocol on the renderer's side: runs a job call under a fresh `jobId`, follows its
 * `job.progress` pushes, cancels it through `audit.cancelJob`, and answers its result or error.
 * `invalidates` names the query domains (e.g. `['audit']`) a finished job makes stale.
 */
export function useJob<N extends JobCall>(call: N, options: { invalidates?: string[] } = {}) {
  const queryClient = useQueryClient();
  const [jobId, setJobId] = useState<string | null>(null);
  const [progress, setProgress] = useState<{ jobId: string; value: JobProgress } | null>(null);
  const controller = useRef<AbortController | null>(null);
  const invalidates = options.invalidates ?? [];

  usePushEvent('job.progress', (event) => {
    if (event.jobId === jobId && !event.finished)
      setProgress({ jobId: event.jobId, value: { done: event.done, total: event.total } });
  });

  const mutation = useMutation({
    mutationFn: async (input: JobInput<N> | JobPreparation<N>): Promise<CallOutput<N>> => {
      setJobId(null);
      controller.current = new AbortController();
      const prepared = typeof input === 'function' ? await input(controller.current.signal) : input;
      const id = crypto.randomUUID();
      setJobId(id);
      return callApi(call, { ...prepared, jobId: id } as CallInput<N>);
    },
    onSuccess: () =>
      Promise.all(
        invalidates.map((domain) => queryClient.invalidateQueries({ queryKey: [domain] })),
      ),
  });

  return {
    /** Starts a run: with the job's input, or with the work that prepares it. */
    start: mutation.mutate,
    /** The run's job call has begun (any preparation is over), so its progress can arrive. */
    started: mutation.isPending && jobId !== null,
    isPending: mutation.isPending,
    progress: progress && progress.jobId === jobId ? progress.value : null,
    result: mutation.data,
    error: mutation.error,
    /** Stops the preparation, and the job once it has begun (an import rolls back). */
    cancel: () => {
      controller.current?.abort();
      if (jobId && mutation.isPending) void callApi('audit.cancelJob', { jobId });
    },
    /** Forgets the last run's result or error. */
    reset: () => {
      mutation.reset();
      setJobId(null);
      setProgress(null);
    },
  };
}
