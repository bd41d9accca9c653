import { ScureBase32Plugin } from 'otplib';
import { expect } from 'vitest';
import type { Envelope } from '../../src/shared/envelope';
import type { ErrorBody, ErrorCode } from '../../src/shared/errors';
import type { App } from '../../src/main/app';
import { totpCode } from '../../src/main/two-factor/totp';
import { ADMIN, newCallContext, type TempApp } from './temp-app';

const base32 = new ScureBase32Plugin();

/** The code an authenticator app shows for `secret` at `epochMs`, `offsetSteps` steps away. */
export function totpFor(secret: string, epochMs: number, offsetSteps = 0): string {
  return totpCode(base32.decode(secret), Math.floor(epochMs / 1000) + offsetSteps * 30);
}

export function ok<T = Record<string, unknown>>(envelope: Envelope<unknown>): T {
  expect(envelope, JSON.stringify(envelope)).toMatchObject({ ok: true });
  return (envelope as { data: T }).data;
}

export function fails(envelope: Envelope<unknown>, code: ErrorCode): ErrorBody {
  expect(envelope, JSON.stringify(envelope)).toMatchObject({ ok: false, error: { code } });
  return (envelope as { error: ErrorBody }).error;
}

/** One client of the console with its own session, talking to the real router. */
export function caller(app: App, ip = '203.0.113.7') {
  const ctx = newCallContext({ ip, userAgent: 'vitest/1 (two-factor suite)' });
  return {
    ctx,
    call: (name: string, input: unknown = {}) => app.router.dispatch(name, input, ctx),
  };
}
export type Caller = ReturnType<typeof caller>;

/** Creates the org through the contract and returns a signed-in admin. */
export async function orgWithAdmin(temp: TempApp): Promise<Caller> {
  const admin = caller(temp.app, '198.51.100.1');
  ok(await admin.call('org.create', ADMIN));
  ok(await admin.call('auth.signIn', { email: ADMIN.adminEmail, password: ADMIN.password }));
  return admin;
}

export async function addMember(temp: TempApp, email: string, password = 'member password 1') {
  await temp.app.services.users.add(
    { email, name: email.split('@')[0]!, role: 'member', password },
    { ip: '127.0.0.1', userAgent: 'test' },
    null,
  );
  return { email, password };
}

export async function signIn(
  temp: TempApp,
  email: string,
  password: string,
  ip?: string,
): Promise<Caller> {
  const c = caller(temp.app, ip);
  ok(await c.call('auth.signIn', { email, password }));
  return c;
}

/** Enrolls the signed-in caller; returns the base32 secret and the backup codes. */
export async function enroll(
  temp: TempApp,
  c: Caller,
): Promise<{ secret: string; backupCodes: string[] }> {
  const setup = ok<{ secret: string }>(await c.call('twoFactor.beginSetup'));
  const { backupCodes } = ok<{ backupCodes: string[] }>(
    await c.call('twoFactor.confirmSetup', { code: totpFor(setup.secret, temp.clock.now()) }),
  );
  return { secret: setup.secret, backupCodes };
}

export async function auditRows(app: App, type?: string) {
  let query = app.db.selectFrom('audit_events').selectAll().orderBy('id');
  if (type) query = query.where('type', '=', type);
  return (await query.execute()).map((row) => ({
    ...row,
    details: JSON.parse(row.details) as Record<string, unknown>,
  }));
}
