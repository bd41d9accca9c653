import { describe, expect, it, vi } from 'vitest';
import { silentLogger } from './logger';
import { DomainError } from './domain-error';
import { createRouter, type Handlers } from './router';
import type { ResolvedSession } from './services/auth.service';

const ctx = () => ({ client: { ip: '127.0.0.1', userAgent: 't' }, session: { token: 'tok' } });
const admin: ResolvedSession = {
  state: 'signed_in',
  user: { id: 'u', email: 'a@acme.test', name: 'A', role: 'site_admin' },
};

function routerWith(
  overrides: Partial<Handlers>,
  session: ResolvedSession = admin,
  logger = silentLogger,
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
  return createRouter({ handlers, resolveSession: async () => session, logger });
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
    const router = routerWith({}, { state: 'signed_in', user: { ...admin.user!, role: 'member' } });
    // auth.signIn is anonymous; a handler that must not run proves validation stops bad input first.
    const invalid = await router.dispatch('auth.signIn', { email: 'x' }, ctx());
    expect(invalid).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
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
