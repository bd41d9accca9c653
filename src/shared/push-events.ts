import { z } from 'zod';
import { sessionStateSchema } from './domain';

/** Messages main pushes to the renderer unasked: progress of long jobs, session changes. */
export const pushEvents = {
  /** Progress of a long-running job (import, export, analysis); `total` is null when unknown. */
  'job.progress': z.object({
    jobId: z.string(),
    kind: z.string(),
    done: z.number(),
    total: z.number().nullable(),
    message: z.string(),
    finished: z.boolean(),
  }),
  /** The session of this client changed state (signed out elsewhere, expired). */
  'session.changed': z.object({ state: sessionStateSchema }),
} as const;

export type PushEventName = keyof typeof pushEvents;
export type PushPayload<E extends PushEventName> = z.infer<(typeof pushEvents)[E]>;

export function isPushEventName(name: unknown): name is PushEventName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(pushEvents, name);
}
