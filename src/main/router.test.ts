import { describe, expect, it, vi } from 'vitest';
import { silentLogger } from './logger';
import { DomainError } from './domain-error';
import { createRouter, type Handlers, type ProofRequest } from './router';
import type { ResolvedSession } from './auth/auth.service';
import { createJobProtocol } from './jobs/job-protocol';
import { createPushBus, type PushMessage } from './push-bus';

const ctx = () => ({ client: { ip: '127.0.0.1', userAgent: 't' }, session: { token: 'tok' } });
const admin: ResolvedSession = {
  state: 'signed_in',
  user: { id: 'u', email: 'a@acme.test', name: 'A', role: 'site_admin' },
};

const proofNeeded = () =>
  new DomainError('INVALID_INPUT', 'code: Confirm it is you.', undefined, {
    kind: 'proof_needed',
    method: 'code',
  });

function routerWith(
  overrides: Partial<Handlers>,
  session: ResolvedSession = admin,
  logger = silentLogger,
  proveIdentity: (request: ProofRequest) => Promise<void> = async () => {
    throw proofNeeded();
  },
  jobs = createJobProtocol(createPushBus()),
) {
  const unexpected = () => {
    throw new Error('handler should not run');
  };
  const handlers = {
    'app.bootstrap': unexpected,
    'org.create': unexpected,
    'auth.session': unexpected,
    'auth.signIn': unexpected,
    'auth.signOut': unexpected,
    ...overrides,
  } as Handlers;
  return createRouter({
    handlers,
    resolveSession: async () => session,
    proveIdentity,
    jobs,
    logger,
  });
}

describe('router', () => {
  it('strips anything a handler returns beyond the contract’s output', async () => {
    const router = routerWith({
      'auth.session': () =>
        ({
          state: 'signed_in',
          user: { ...admin.user!, password_hash: 'scrypt$secret' },
          secret: 'x',
        }) as never,
    });
    const envelope = await router.dispatch('auth.session', {}, ctx());
    expect(envelope).toEqual({ ok: true, data: { state: 'signed_in', user: admin.user } });
    expect(JSON.stringify(envelope)).not.toContain('secret');
  });

  it('maps domain errors to their code and hides everything else behind INTERNAL', async () => {
    const logger = { info: vi.fn(), error: vi.fn() };
    const router = routerWith(
      {
        'app.bootstrap': () => {
          throw new DomainError('LOCKED_OUT', 'Too many attempts.', 60);
        },
        'auth.session': () => {
          throw new Error('SQLITE_CORRUPT: /home/ada/secret/path');
        },
      },
      admin,
      logger,
    );
    expect(await router.dispatch('app.bootstrap', {}, ctx())).toEqual({
      ok: false,
      error: { code: 'LOCKED_OUT', message: 'Too many attempts.', retryAfterSeconds: 60 },
    });
    const internal = await router.dispatch('auth.session', {}, ctx());
    expect(internal).toEqual({
      ok: false,
      error: { code: 'INTERNAL', message: 'Internal error.' },
    });
    expect(logger.error).toHaveBeenCalledOnce();
  });

  it('checks access before it even reads the input', async () => {
    const member = { state: 'signed_in', user: { ...admin.user!, role: 'member' } } as const;
    const router = routerWith({}, member);
    // Invalid input for an admin call: a member must hear FORBIDDEN, not what is wrong with it.
    const refused = await router.dispatch('users.get', { userId: 42, extra: true }, ctx());
    expect(refused).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    // The same input from an admin is refused for what it is.
    const invalid = await routerWith({}).dispatch('users.get', { userId: 42 }, ctx());
    expect(invalid).toMatchObject({
      ok: false,
      error: {
        code: 'INVALID_INPUT',
        details: { kind: 'fields', fields: { userId: expect.any(String) } },
      },
    });
  });

  it('asks for the contract’s proof after access and before the input is read', async () => {
    const router = routerWith({});
    const unproven = await router.dispatch('users.add', { email: 'not an address' }, ctx());
    expect(unproven).toEqual({
      ok: false,
      error: {
        code: 'INVALID_INPUT',
        message: 'code: Confirm it is you.',
        details: { kind: 'proof_needed', method: 'code' },
      },
    });
  });

  it('hands the proof fields and the declared level to the proof check', async () => {
    const requests: ProofRequest[] = [];
    const router = routerWith(
      { 'users.unlock': () => ({}), 'users.setRole': () => ({}) },
      admin,
      silentLogger,
      async (request) => void requests.push(request),
    );
    await router.dispatch('users.unlock', { userId: 'u2', code: '123456' }, ctx());
    await router.dispatch('users.setRole', { userId: 'u2', role: 'member' }, ctx());
    expect(requests.map((r) => [r.level, r.proof.code, r.sessionToken])).toEqual([
      ['fresh', '123456', 'tok'],
      ['recent', undefined, 'tok'],
    ]);
  });

  it('runs a job call under the caller’s job id: progress, a last finished push, cancel', async () => {
    const push = createPushBus();
    const seen: PushMessage[] = [];
    push.subscribe((message) => seen.push(message));
    let cancelled = false;
    const jobs = createJobProtocol(push);
    const jobId = '8d4b1b3e-7f0e-4c55-9c1d-3a8f0e6b2a11';
    const router = routerWith(
      {
        'audit.verifyChain': async (_input, c) => {
          c.job.progress(1, 2, 'halfway');
          c.job.signal.addEventListener('abort', () => (cancelled = true));
          expect(await router.dispatch('audit.cancelJob', { jobId }, ctx())).toEqual({
            ok: true,
            data: { cancelled: true },
          });
          return { ok: true, count: 2, headHash: 'h', firstBadId: null, message: 'Intact' };
        },
        'audit.cancelJob': (input, c) => ({
          cancelled: jobs.cancel(input.jobId, c.session.token ?? ''),
        }),
      },
      admin,
      silentLogger,
      undefined,
      jobs,
    );
    const done = await router.dispatch('audit.verifyChain', { jobId }, ctx());
    expect(done).toMatchObject({ ok: true, data: { count: 2 } });
    expect(cancelled).toBe(true);
    expect(seen.map((m) => [m.event, m.payload, m.sessionToken])).toEqual([
      [
        'job.progress',
        {
          jobId,
          kind: 'audit.verifyChain',
          done: 1,
          total: 2,
          message: 'halfway',
          finished: false,
        },
        'tok',
      ],
      [
        'job.progress',
        {
          jobId,
          kind: 'audit.verifyChain',
          done: 0,
          total: null,
          message: 'audit.verifyChain',
          finished: true,
        },
        'tok',
      ],
    ]);
  });

  it('refuses a handler output that breaks the contract instead of sending it', async () => {
    const router = routerWith({ 'app.bootstrap': () => ({ orgExists: 'yes' }) as never });
    expect(await router.dispatch('app.bootstrap', {}, ctx())).toMatchObject({
      ok: false,
      error: { code: 'INTERNAL' },
    });
  });

  it('clears the transport’s token when the session turns out to be gone', async () => {
    const router = routerWith(
      { 'auth.session': (_i, c) => ({ state: c.caller.state }) },
      { state: 'signed_out', user: null },
    );
    const context = ctx();
    await router.dispatch('auth.session', {}, context);
    expect(context.session.token).toBeNull();
  });
});
