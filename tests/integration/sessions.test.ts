import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SESSION_ABSOLUTE_MS, SESSION_IDLE_MS } from '../../src/main/auth/auth.service';
import { ADMIN, createTempApp, newCallContext, type TempApp } from '../support/temp-app';

describe('session lifetime, against the main process clock', () => {
  let temp: TempApp;
  beforeEach(async () => {
    temp = await createTempApp();
    await temp.app.router.dispatch('org.create', ADMIN, newCallContext());
  });
  afterEach(async () => {
    await temp.close();
  });

  async function signIn() {
    const ctx = newCallContext();
    await temp.app.router.dispatch(
      'auth.signIn',
      { email: ADMIN.adminEmail, password: ADMIN.password },
      ctx,
    );
    expect(ctx.session.token).toMatch(/^[\w-]{43}$/);
    return ctx;
  }
  const state = async (ctx: ReturnType<typeof newCallContext>) => {
    const envelope = await temp.app.router.dispatch('auth.session', {}, ctx);
    return envelope.ok ? (envelope.data as { state: string }).state : envelope.error.code;
  };

  it('ends after 15 idle minutes, not before', async () => {
    const ctx = await signIn();
    temp.clock.advance(SESSION_IDLE_MS - 1000);
    expect(await state(ctx)).toBe('signed_in');
    temp.clock.advance(SESSION_IDLE_MS + 1000);
    expect(await state(ctx)).toBe('signed_out');
    // The transport is told to forget the token.
    expect(ctx.session.token).toBeNull();
  });

  it('ends after 12 hours however active the user is', async () => {
    const ctx = await signIn();
    const step = 10 * 60 * 1000;
    for (let elapsed = step; elapsed < SESSION_ABSOLUTE_MS; elapsed += step) {
      temp.clock.advance(step);
      expect(await state(ctx)).toBe('signed_in');
    }
    temp.clock.advance(step + 1000);
    expect(await state(ctx)).toBe('signed_out');
  });

  it('stores only a hash of the session token', async () => {
    const ctx = await signIn();
    const rows = await temp.app.db.selectFrom('sessions').selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.token_hash).not.toBe(ctx.session.token);
    expect(JSON.stringify(rows)).not.toContain(ctx.session.token!);
  });
});
