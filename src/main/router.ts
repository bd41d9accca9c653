import type { z } from 'zod';
import {
  contract,
  isCallName,
  proofInputSchema,
  type CallName,
  type CallOutput,
  type Contract,
  type ParsedInput,
  type ProofInput,
  type ProofLevel,
} from '../shared/contract';
import type { SessionUser } from '../shared/domain';
import { errorEnvelope, okEnvelope, type Envelope } from '../shared/envelope';
import { accessDenial } from './access-policy';
import { DomainError } from './domain-error';
import { isDatabaseUnavailable } from './store/unavailable';
import type { Logger } from './logger';
import type { ResolvedSession } from './auth/auth.service';
import type { ClientInfo } from './client-info';
import type { JobHandle, JobProtocol } from './jobs/job-protocol';

/** The transport's slot for the caller's session token; sign-in and sign-out rewrite it. */
export interface SessionHandle {
  token: string | null;
}

/** What a transport knows about a call besides its name and input. */
export interface CallContext {
  client: ClientInfo;
  session: SessionHandle;
}

export interface HandlerContext extends CallContext {
  caller: ResolvedSession;
}

/** A job call's handler also gets its job: progress to the caller, cancellation from them. */
export type HandlerContextOf<N extends CallName> = Contract[N]['job'] extends true
  ? HandlerContext & { job: JobHandle }
  : HandlerContext;

/** One handler per contract entry; the compiler refuses a missing or mistyped one. */
export type Handlers = {
  [N in CallName]: (
    input: ParsedInput<N>,
    ctx: HandlerContextOf<N>,
  ) => Promise<CallOutput<N>> | CallOutput<N>;
};

/** A domain's share of the handlers, checked against the contract where it is written. */
export type HandlerSlice<N extends CallName> = Pick<Handlers, N>;

/** The calls whose names start with one of these prefixes (`users`, `audit`, ...). */
export type CallsOf<P extends string> = Extract<CallName, `${P}.${string}`>;

/** What the router hands the proof check: who asks, what they offered, and how fresh it must be. */
export interface ProofRequest {
  sessionToken: string;
  user: SessionUser;
  proof: ProofInput;
  client: ClientInfo;
  level: Exclude<ProofLevel, 'none'>;
}

export interface Router {
  dispatch(name: string, rawInput: unknown, ctx: CallContext): Promise<Envelope<unknown>>;
}

export interface RouterDeps {
  handlers: Handlers;
  resolveSession(token: string | null): Promise<ResolvedSession>;
  /** Throws (INVALID_INPUT with proof_needed details) unless the caller proved who they are. */
  proveIdentity(request: ProofRequest): Promise<void>;
  jobs: JobProtocol;
  logger: Logger;
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) =>
      issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message,
    )
    .join('; ');
}

/** Each refused field with its first message, for the form to show beside the field. */
function fieldsOf(error: z.ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.length ? issue.path.join('.') : 'input';
    fields[key] ??= issue.message;
  }
  return fields;
}

function invalidInput(error: z.ZodError) {
  return errorEnvelope({
    code: 'INVALID_INPUT',
    message: describeIssues(error),
    details: { kind: 'fields', fields: fieldsOf(error) },
  });
}

/**
 * Where in a call's input a text holds U+0000, or null. PostgreSQL cannot store it and no one
 * types it, so it is refused here for every call and engine alike instead of failing deep down.
 */
function pathOfNulText(value: unknown, path = ''): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path : null;
  if (typeof value !== 'object' || value === null) return null;
  for (const [key, child] of Object.entries(value)) {
    const found = pathOfNulText(child, path ? `${path}.${key}` : key);
    if (found !== null) return found;
  }
  return null;
}

/**
 * The single gate every call passes, whatever the transport: known name, access policy for the
 * caller's current state, the proof the contract declares, validated input, handler (under the
 * job protocol for job calls), validated output, envelope.
 */
export function createRouter(deps: RouterDeps): Router {
  return {
    async dispatch(name, rawInput, ctx) {
      if (!isCallName(name)) {
        const shown = String(name).slice(0, 80);
        return errorEnvelope({ code: 'NOT_FOUND', message: `Unknown call "${shown}".` });
      }
      const spec = contract[name];
      try {
        const caller = await deps.resolveSession(ctx.session.token);
        if (caller.state === 'signed_out') ctx.session.token = null;
        const denial = accessDenial(spec.access, caller);
        if (denial) return errorEnvelope(denial);

        if (spec.proof !== 'none') {
          // Proof first: an unproven caller learns nothing about what else their input holds.
          const offered = proofInputSchema.safeParse(
            typeof rawInput === 'object' && rawInput !== null ? rawInput : {},
          );
          if (!offered.success) return invalidInput(offered.error);
          if (!caller.user || !ctx.session.token) {
            return errorEnvelope({ code: 'UNAUTHENTICATED', message: 'Sign in to continue.' });
          }
          await deps.proveIdentity({
            sessionToken: ctx.session.token,
            user: caller.user,
            proof: offered.data,
            client: ctx.client,
            level: spec.proof,
          });
        }

        const parsed = spec.input.safeParse(rawInput);
        if (!parsed.success) return invalidInput(parsed.error);
        const nulAt = pathOfNulText(parsed.data);
        if (nulAt !== null) {
          return errorEnvelope({
            code: 'INVALID_INPUT',
            message: `${nulAt || 'input'}: must not contain a NUL character (U+0000)`,
          });
        }
        const handler = deps.handlers[name] as (
          input: unknown,
          ctx: HandlerContext & { job?: JobHandle },
        ) => Promise<unknown> | unknown;
        const input: unknown = parsed.data;
        let result: unknown;
        if (spec.job) {
          const token = ctx.session.token;
          if (!token)
            return errorEnvelope({ code: 'UNAUTHENTICATED', message: 'Sign in to continue.' });
          const { jobId } = input as { jobId: string };
          result = await deps.jobs.run(name, jobId, token, async (job) =>
            handler(input, { ...ctx, caller, job }),
          );
        } else {
          result = await handler(input, { ...ctx, caller });
        }
        const output = spec.output.safeParse(result);
        if (!output.success) {
          deps.logger.error(
            `Call ${name} produced output outside its contract: ${describeIssues(output.error)}`,
          );
          return errorEnvelope({ code: 'INTERNAL', message: 'Internal error.' });
        }
        return okEnvelope(output.data);
      } catch (error) {
        if (error instanceof DomainError) {
          return errorEnvelope({
            code: error.code,
            message: error.message,
            ...(error.retryAfterSeconds !== undefined
              ? { retryAfterSeconds: error.retryAfterSeconds }
              : {}),
            ...(error.details ? { details: error.details } : {}),
          });
        }
        if (isDatabaseUnavailable(error)) {
          deps.logger.error(`Call ${name}: the database is unreachable`, error);
          return errorEnvelope({
            code: 'UNAVAILABLE',
            message:
              'The database cannot be reached right now, so nothing was read or changed. The ' +
              'console reconnects by itself: try again in a moment, and if it keeps failing, ' +
              'check the database server.',
          });
        }
        deps.logger.error(`Call ${name} failed`, error);
        return errorEnvelope({ code: 'INTERNAL', message: 'Internal error.' });
      }
    },
  };
}
