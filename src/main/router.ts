import type { z } from 'zod';
import {
  contract,
  isCallName,
  type CallName,
  type CallOutput,
  type ParsedInput,
} from '../shared/contract';
import { errorEnvelope, okEnvelope, type Envelope } from '../shared/envelope';
import { accessDenial } from './access-policy';
import { DomainError } from './domain-error';
import { isDatabaseUnavailable } from './store/unavailable';
import type { Logger } from './logger';
import type { ResolvedSession } from './services/auth.service';
import type { ClientInfo } from './services/client-info';

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

/** One handler per contract entry; the compiler refuses a missing or mistyped one. */
export type Handlers = {
  [N in CallName]: (
    input: ParsedInput<N>,
    ctx: HandlerContext,
  ) => Promise<CallOutput<N>> | CallOutput<N>;
};

export interface Router {
  dispatch(name: string, rawInput: unknown, ctx: CallContext): Promise<Envelope<unknown>>;
}

export interface RouterDeps {
  handlers: Handlers;
  resolveSession(token: string | null): Promise<ResolvedSession>;
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
 * caller's current state, validated input, handler, validated output, envelope.
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

        const parsed = spec.input.safeParse(rawInput);
        if (!parsed.success) {
          return errorEnvelope({ code: 'INVALID_INPUT', message: describeIssues(parsed.error) });
        }
        const nulAt = pathOfNulText(parsed.data);
        if (nulAt !== null) {
          return errorEnvelope({
            code: 'INVALID_INPUT',
            message: `${nulAt || 'input'}: must not contain a NUL character (U+0000)`,
          });
        }
        const handler = deps.handlers[name] as (
          input: unknown,
          ctx: HandlerContext,
        ) => Promise<unknown> | unknown;
        const result = await handler(parsed.data, { ...ctx, caller });
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
