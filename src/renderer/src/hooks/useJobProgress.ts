import { useState } from 'react';
import { usePushEvent } from '../api/push';

export interface JobProgress {
  done: number;
  total: number | null;
}

/** Progress of one long job of ours (import, export, verify), from main's push events. */
export function useJobProgress(jobId: string | null): JobProgress | null {
  const [progress, setProgress] = useState<{ jobId: string; value: JobProgress } | null>(null);
  usePushEvent('job.progress', (event) => {
    if (event.jobId === jobId && !event.finished)
      setProgress({ jobId: event.jobId, value: { done: event.done, total: event.total } });
  });
  return progress && progress.jobId === jobId ? progress.value : null;
}

export function newJobId(): string {
  return crypto.randomUUID();
}
