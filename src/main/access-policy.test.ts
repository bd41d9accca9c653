import { describe, expect, it } from 'vitest';
import type { Access } from '../shared/contract';
import type { Role, SessionState } from '../shared/domain';
import { SETUP_REQUIRED_MESSAGE } from '../shared/errors';
import { accessDenial } from './access-policy';
import type { ResolvedSession } from './auth/auth.service';

function caller(state: SessionState, role: Role = 'member'): ResolvedSession {
  return state === 'signed_out'
    ? { state, user: null }
    : { state, user: { id: 'u', email: 'u@acme.test', name: 'U', role } };
}

const outcome = (access: Access, session: ResolvedSession) =>
  accessDenial(access, session)?.code ?? 'allowed';

describe('access policy (DESIGN.md), every state against every access level', () => {
  const table: Array<[SessionState, Role, Record<Access, string>]> = [
    [
      'signed_out',
      'member',
      {
        anonymous: 'allowed',
        secondFactorPending: 'UNAUTHENTICATED',
        setupPending: 'UNAUTHENTICATED',
        member: 'UNAUTHENTICATED',
        admin: 'UNAUTHENTICATED',
      },
    ],
    [
      'second_factor_required',
      'site_admin',
      {
        anonymous: 'allowed',
        secondFactorPending: 'allowed',
        setupPending: 'UNAUTHENTICATED',
        member: 'UNAUTHENTICATED',
        admin: 'UNAUTHENTICATED',
      },
    ],
    [
      'setup_required',
      'site_admin',
      {
        anonymous: 'allowed',
        secondFactorPending: 'CONFLICT',
        setupPending: 'allowed',
        member: 'TWO_FACTOR_SETUP_REQUIRED',
        admin: 'TWO_FACTOR_SETUP_REQUIRED',
      },
    ],
    [
      'signed_in',
      'member',
      {
        anonymous: 'allowed',
        secondFactorPending: 'CONFLICT',
        setupPending: 'allowed',
        member: 'allowed',
        admin: 'FORBIDDEN',
      },
    ],
    [
      'signed_in',
      'site_admin',
      {
        anonymous: 'allowed',
        secondFactorPending: 'CONFLICT',
        setupPending: 'allowed',
        member: 'allowed',
        admin: 'allowed',
      },
    ],
    [
      'signed_in',
      'enterprise_admin',
      {
        anonymous: 'allowed',
        secondFactorPending: 'CONFLICT',
        setupPending: 'allowed',
        member: 'allowed',
        admin: 'allowed',
      },
    ],
  ];
  for (const [state, role, expected] of table) {
    it(`${state} ${role}`, () => {
      for (const access of Object.keys(expected) as Access[]) {
        expect([access, outcome(access, caller(state, role))]).toEqual([access, expected[access]]);
      }
    });
  }

  it('tells a user owing setup exactly the guide’s sentence', () => {
    expect(accessDenial('member', caller('setup_required'))?.message).toBe(
      'Your organization requires two-factor authentication. Please set it up to continue.',
    );
    expect(SETUP_REQUIRED_MESSAGE).toMatch(/^Your organization requires/);
  });
});
