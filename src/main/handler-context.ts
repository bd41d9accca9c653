import type { SessionUser } from '../shared/domain';
import type { AnalyticsRunner } from './detections/runner';
import type { DetectionsService } from './detections/detections.service';
import type { Clock } from './clock';
import { DomainError } from './domain-error';
import type { HandlerContext } from './router';
import type { Services } from './services';
import type { Transfers } from './jobs/transfers';
import type { JobProtocol } from './jobs/job-protocol';
import { hashSessionToken } from './auth/auth.service';

/** What the handler slices are built from: the services and the long-work machinery. */
export type HandlerDeps = Services & {
  analytics: AnalyticsRunner;
  detections: DetectionsService;
  clock: Clock;
  transfers: Transfers;
  jobs: JobProtocol;
};

/** The signed-in user; the access policy has already guaranteed there is one. */
export function userOf(ctx: HandlerContext): SessionUser {
  if (!ctx.caller.user) throw new DomainError('UNAUTHENTICATED', 'Sign in to continue.');
  return ctx.caller.user;
}

export function tokenOf(ctx: HandlerContext): string {
  if (!ctx.session.token) throw new DomainError('UNAUTHENTICATED', 'Sign in to continue.');
  return ctx.session.token;
}

/** The admin behind an admin call, as audit rows name them. */
export function actorOf(ctx: HandlerContext) {
  const user = userOf(ctx);
  return { id: user.id, email: user.email };
}

/** Who owns an upload or a download: the caller's session, by its hash. */
export function ownerOf(ctx: HandlerContext): string {
  return hashSessionToken(tokenOf(ctx));
}
