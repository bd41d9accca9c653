import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { App } from '../../src/main/app';
import type { CallContext } from '../../src/main/router';
import { verifyAuditChain } from '../../src/main/audit/audit-verify';
import { callNames, contract, isCallName, type Access } from '../../src/shared/contract';
import type { Envelope } from '../../src/shared/envelope';
import { isErrorCode, type ErrorCode } from '../../src/shared/errors';
import { addMember, ok, orgWithAdmin, signIn } from '../support/console-driver';
import { ADMIN, createTempApp, newCallContext, type TempApp } from '../support/temp-app';
import {
  anyValue,
  deeplyNested,
  hostileNumber,
  hostileString,
  plausibleFieldValue,
} from './hostile-values';
import { validishValue } from './schema-inputs';

/** The field names a call's input schema declares, through optional/default/pipe wrappers. */
function inputKeysOf(schema: z.ZodType): string[] {
  if (schema instanceof z.ZodObject) return Object.keys(schema.shape);
  if (schema instanceof z.ZodOptional || schema instanceof z.ZodNullable)
    return inputKeysOf(schema.unwrap() as z.ZodType);
  if (schema instanceof z.ZodDefault) return inputKeysOf(schema.unwrap() as z.ZodType);
  if (schema instanceof z.ZodPipe) return inputKeysOf(schema.in as z.ZodType);
  if (schema instanceof z.ZodUnion)
    return (schema.options as z.ZodType[]).flatMap((option) => inputKeysOf(option));
  return [];
}

const knownName = fc.constantFrom(...callNames);

/** Near misses of real names: a router matching loosely (trim, case, prefix) would accept them. */
const nearMissName = knownName.chain((name) =>
  fc.constantFrom(
    `${name} `,
    ` ${name}`,
    `${name}\u0000`,
    `${name}.`,
    name.toUpperCase(),
    name.replace('.', '/'),
    name.replace('.', '\u2024'),
    name.replace(/a/, '\u0430'), // Cyrillic a
    name.split('.')[0] ?? name,
  ),
);

const hostileName = fc.oneof(
  fc.constantFrom(
    '__proto__',
    'constructor',
    'prototype',
    'toString',
    'valueOf',
    'hasOwnProperty',
    '__defineGetter__',
    '',
    '.',
    'auth.',
    'router.dispatch',
  ),
  hostileString,
);

const callName = fc.oneof(
  { weight: 4, arbitrary: knownName },
  { weight: 1, arbitrary: nearMissName },
  { weight: 1, arbitrary: hostileName },
);

/** Objects with the call's real keys but random, wrong-typed or merely plausible values. */
function shapedLike(name: string): fc.Arbitrary<unknown> {
  const keys = isCallName(name) ? inputKeysOf(contract[name].input) : [];
  if (keys.length === 0) return fc.constant({});
  const value = fc.oneof(
    { weight: 3, arbitrary: plausibleFieldValue },
    { weight: 1, arbitrary: anyValue },
    { weight: 1, arbitrary: hostileString },
    { weight: 1, arbitrary: hostileNumber },
  );
  return fc.record(Object.fromEntries(keys.map((key) => [key, value])), { requiredKeys: [] });
}

const prototypePollution = fc.constantFrom(
  JSON.parse('{"__proto__": {"role": "site_admin", "isAdmin": true}}') as unknown,
  JSON.parse('{"constructor": {"prototype": {"role": "site_admin"}}}') as unknown,
);

/** Inputs the contract would accept, mostly: they reach the services when access allows. */
function validishFor(name: string): fc.Arbitrary<unknown> {
  return isCallName(name) ? validishValue(contract[name].input) : fc.constant({});
}

function inputFor(name: string): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 4, arbitrary: validishFor(name) },
    { weight: 3, arbitrary: shapedLike(name) },
    { weight: 2, arbitrary: anyValue },
    { weight: 1, arbitrary: hostileString },
    { weight: 1, arbitrary: hostileNumber },
    { weight: 1, arbitrary: deeplyNested },
    { weight: 1, arbitrary: prototypePollution },
    { weight: 1, arbitrary: fc.constantFrom(undefined, null, {}, []) },
  );
}

const call = callName.chain((name) => fc.tuple(fc.constant(name), inputFor(name)));

/** Fails unless `envelope` is exactly `{ok: true, data}` or `{ok: false, error}` from the contract. */
function expectWellFormed(envelope: unknown): asserts envelope is Envelope<unknown> {
  expect(envelope).toBeTypeOf('object');
  expect(envelope).not.toBeNull();
  const record = envelope as Record<string, unknown>;
  if (record.ok === true) {
    expect(Object.keys(record).sort()).toEqual(['data', 'ok']);
    // Whatever a transport does with it, the answer must survive JSON unchanged.
    expect(JSON.parse(JSON.stringify(record))).toEqual(record);
    return;
  }
  expect(record.ok).toBe(false);
  expect(Object.keys(record).sort()).toEqual(['error', 'ok']);
  const error = record.error as Record<string, unknown>;
  expect(isErrorCode(error.code), `unknown error code ${String(error.code)}`).toBe(true);
  expect(error.message).toBeTypeOf('string');
  expect((error.message as string).length).toBeGreaterThan(0);
  // Internals (stack frames, file paths) never leave main in a message.
  expect(error.message).not.toMatch(/\n\s+at |node_modules|\/src\/main\//);
  for (const key of Object.keys(error))
    expect(['code', 'message', 'retryAfterSeconds', 'details']).toContain(key);
  if (error.details !== undefined) {
    // Structured details are what the renderer branches on: only the declared kinds.
    const details = error.details as { kind: string; fields?: Record<string, unknown> };
    expect(['fields', 'proof_needed', 'file_refused']).toContain(details.kind);
    if (details.kind === 'fields') {
      expect(error.code).toBe('INVALID_INPUT');
      for (const message of Object.values(details.fields ?? {}))
        expect(message).toBeTypeOf('string');
    }
  }
  if (error.retryAfterSeconds !== undefined) {
    expect(error.code).toBe('LOCKED_OUT');
    expect(Number.isInteger(error.retryAfterSeconds)).toBe(true);
  }
}

/** Every service method call made while the router handles a call (the session lookup aside). */
function recordServiceCalls(app: App): string[] {
  const calls: string[] = [];
  const services: Record<string, object> = {
    ...app.services,
    analytics: app.analytics,
    detections: app.detections,
    jobs: app.transfers.jobs,
    uploads: app.transfers.uploads,
    exports: app.transfers.exports,
    jobProtocol: app.jobs,
  };
  for (const [serviceName, service] of Object.entries(services)) {
    const methods = Object.entries(service).filter(([, value]) => typeof value === 'function');
    // A service whose methods this cannot see would make the check vacuous.
    expect(methods.length, `${serviceName} has no visible methods`).toBeGreaterThan(0);
    for (const [method, original] of methods) {
      // The router resolves the caller's session before the access check: that read is expected.
      if (serviceName === 'auth' && method === 'resolve') continue;
      const target = original as (...args: unknown[]) => unknown;
      Object.assign(service, {
        [method]: function (this: unknown, ...args: unknown[]) {
          calls.push(`${serviceName}.${method}`);
          return target.apply(this, args);
        },
      });
    }
  }
  return calls;
}

/** A digest of every row of every table: any write by a refused call changes it. */
async function databaseDigest(app: App): Promise<string> {
  const tables = (await app.db.introspection.getTables()).map((t) => t.name).sort();
  const digest = createHash('sha256');
  for (const name of tables) {
    const rows = await sql`SELECT * FROM ${sql.table(name)}`.execute(app.db);
    // Sorted here: PostgreSQL has no rowid to order by, and order is not what is compared.
    digest.update(name).update(JSON.stringify(rows.rows.map((r) => JSON.stringify(r)).sort()));
  }
  return digest.digest('hex');
}

type SessionKind = 'anonymous' | 'member';

/** DESIGN's access policy: the one answer a caller gets for a call above its level. */
const refusalFor: Record<SessionKind, Partial<Record<Access, ErrorCode>>> = {
  anonymous: {
    secondFactorPending: 'UNAUTHENTICATED',
    setupPending: 'UNAUTHENTICATED',
    member: 'UNAUTHENTICATED',
    admin: 'UNAUTHENTICATED',
  },
  member: { secondFactorPending: 'CONFLICT', admin: 'FORBIDDEN' },
};

const MEMBER = { email: 'morgan.member@acme.test', password: 'member password 1' };

describe('router fuzz: anonymous and member sessions', () => {
  let temp: TempApp;
  let member: CallContext;
  let serviceCalls: string[];

  beforeAll(async () => {
    temp = await createTempApp();
    await orgWithAdmin(temp);
    await addMember(temp, MEMBER.email, MEMBER.password);
    member = (await signIn(temp, MEMBER.email, MEMBER.password)).ctx;
    serviceCalls = recordServiceCalls(temp.app);
  });
  afterAll(() => temp.close());

  /** A fuzzed sign-out or sign-in may end the member's session: start a new one for the next run. */
  async function memberStillSignedIn() {
    const session = ok<{ state: string; user?: { email: string } }>(
      await temp.app.router.dispatch('auth.session', undefined, member),
    );
    // A fuzzed sign-in with the admin's password would turn this session into the admin's.
    if (session.state !== 'signed_in' || session.user?.email !== MEMBER.email)
      member = (await signIn(temp, MEMBER.email, MEMBER.password)).ctx;
  }

  it('refuses every call above the session with the policy code, before any service or write', async () => {
    const refusable = callNames.filter((name) => contract[name].access in refusalFor.anonymous);
    expect(refusable.length).toBeGreaterThan(0);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom<SessionKind>('anonymous', 'member'),
        call,
        async (kind, [name, input]) => {
          const ctx = kind === 'anonymous' ? newCallContext() : member;
          const expected = isCallName(name) ? refusalFor[kind][contract[name].access] : undefined;
          const before = expected ? await databaseDigest(temp.app) : null;
          serviceCalls.length = 0;

          const envelope = await temp.app.router.dispatch(name, input, ctx);

          expectWellFormed(envelope);
          if (!isCallName(name)) {
            expect(envelope).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
          } else if (expected) {
            expect(envelope).toMatchObject({ ok: false, error: { code: expected } });
            expect(serviceCalls).toEqual([]);
            expect(await databaseDigest(temp.app)).toBe(before);
          }
          if (kind === 'member') await memberStillSignedIn();
        },
      ),
      { numRuns: 400 },
    );
  });

  it('no input makes an admin-only call answer a member with anything but FORBIDDEN', async () => {
    // Valid-shaped inputs matter most here: a router validating before the access check would
    // answer INVALID_INPUT for some and so tell a member about admin-only calls' inputs.
    const adminOnly = callNames.filter((name) => contract[name].access === 'admin');
    // Anchors from DESIGN ("admin: org settings, users, audit, rollout"), so a call quietly
    // downgraded in the contract fails here instead of shrinking the list this checks.
    expect(adminOnly).toEqual(
      expect.arrayContaining([
        'org.updateSettings',
        'users.list',
        'users.resetTwoFactor',
        'users.setRole',
        'audit.query',
        'audit.export',
        'audit.import',
        'rollout.announce',
      ]),
    );
    await fc.assert(
      fc.asyncProperty(
        fc
          .constantFrom(...adminOnly)
          .chain((name) =>
            fc.tuple(fc.constant(name), fc.oneof(validishFor(name), shapedLike(name))),
          ),
        async ([name, input]) => {
          const envelope = await temp.app.router.dispatch(name, input, member);
          expect(envelope).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
          await memberStillSignedIn();
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('router fuzz: an admin session', () => {
  let temp: TempApp;
  let admin: CallContext;

  beforeAll(async () => {
    temp = await createTempApp();
    admin = (await orgWithAdmin(temp)).ctx;
  });
  afterAll(() => temp.close());

  /** Fuzzed calls may sign the admin out or require 2FA of admins: undo that between runs. */
  async function adminBackToSignedIn() {
    const session = await temp.app.router.dispatch('auth.session', undefined, admin);
    if (ok<{ state: string }>(session).state === 'signed_in') return;
    await temp.app.db.updateTable('organization').set({ two_factor_required: 0 }).execute();
    // Fuzzed proofs with wrong passwords may have locked the admin's password out.
    await temp.app.db.deleteFrom('auth_throttle').execute();
    admin = (await signIn(temp, ADMIN.adminEmail, ADMIN.password)).ctx;
  }

  it('answers every call with a well-formed envelope, never an internal error, the trail intact', async () => {
    await fc.assert(
      fc.asyncProperty(call, async ([name, input]) => {
        const envelope = await temp.app.router.dispatch(name, input, admin);

        expectWellFormed(envelope);
        if (!isCallName(name)) {
          expect(envelope).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
        }
        // INTERNAL means a service threw something unplanned or answered outside its contract.
        if (!envelope.ok) expect(envelope.error.code, envelope.error.message).not.toBe('INTERNAL');
        // Whatever the call wrote to the trail was stored as it was hashed.
        expect(await verifyAuditChain(temp.app.db)).toMatchObject({ ok: true });
        await adminBackToSignedIn();
      }),
      { numRuns: 400 },
    );
  });
});
