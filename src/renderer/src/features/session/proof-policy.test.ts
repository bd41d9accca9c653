import { describe, expect, it } from 'vitest';
import { callNames, contract } from '../../../../shared/contract';
import { ApiError } from '../../api/api-error';
import { decideProof, proofLevelOf, type ProofCall } from './proof-policy';

const open = { windowSecondsLeft: 120, method: 'code' as const, error: null };

describe('decideProof', () => {
  it('asks every time for a fresh call, even inside the window', () => {
    expect(decideProof({ ...open, level: 'fresh' }).needed).toBe(true);
  });

  it('asks for a recent call only once the window is over', () => {
    expect(decideProof({ ...open, level: 'recent' }).needed).toBe(false);
    expect(decideProof({ ...open, level: 'recent', windowSecondsLeft: 0 }).needed).toBe(true);
  });

  it('shows the proof field, with the method main names, when main refused for want of one', () => {
    const decision = decideProof({
      ...open,
      level: 'recent',
      error: new ApiError({
        code: 'INVALID_INPUT',
        message: 'password: Confirm it is you: enter your password.',
        details: { kind: 'proof_needed', method: 'password' },
      }),
    });
    expect(decision).toEqual({
      needed: true,
      method: 'password',
      fieldError: 'Confirm it is you: enter your password',
    });
  });

  it('puts a wrong current password on the proof field', () => {
    const decision = decideProof({
      ...open,
      level: 'recent',
      method: 'password',
      error: new ApiError({
        code: 'INVALID_INPUT',
        message: 'Current password is not correct.',
        details: {
          kind: 'fields',
          fields: { currentPassword: 'Current password is not correct.' },
        },
      }),
    });
    expect(decision.needed).toBe(true);
    expect(decision.fieldError).toBe('Current password is not correct.');
  });

  it('has no field error for other failures', () => {
    const error = new ApiError({ code: 'CONFLICT', message: 'Already exists' });
    expect(decideProof({ ...open, level: 'recent', error }).fieldError).toBeUndefined();
  });
});

describe('proofLevelOf', () => {
  it('answers the level the contract declares for every call that has one', () => {
    const proofCalls = callNames.filter((name) => contract[name].proof !== 'none');
    expect(proofCalls).toContain('users.resetTwoFactor');
    for (const name of proofCalls)
      expect(proofLevelOf(name as ProofCall)).toBe(contract[name].proof);
    expect(proofLevelOf('users.unlock')).toBe('fresh');
    expect(proofLevelOf('users.add')).toBe('recent');
  });
});
