import { describe, expect, it } from 'vitest';
import {
  ApiError,
  errorNotOnFields,
  fieldErrorsOf,
  isFileRefused,
  proofFieldNames,
} from './api-error';

const fields = new ApiError({
  code: 'INVALID_INPUT',
  message: 'email: Invalid email address; override.reason: Say in a sentence why',
  details: {
    kind: 'fields',
    fields: { email: 'Invalid email address', 'override.reason': 'Say in a sentence why' },
  },
});
const proofNeeded = new ApiError({
  code: 'INVALID_INPUT',
  message: 'code: Confirm it is you',
  details: { kind: 'proof_needed', method: 'code' },
});
const refused = new ApiError({
  code: 'INVALID_INPUT',
  message: 'line 2: email "x" already has an account',
  details: { kind: 'file_refused' },
});
const plain = new ApiError({ code: 'CONFLICT', message: 'The last admin cannot be demoted.' });

describe('error details', () => {
  it('carries the details main sent', () => {
    expect(proofNeeded.details).toEqual({ kind: 'proof_needed', method: 'code' });
    expect(plain.details).toBeUndefined();
  });

  it('reads field errors, and none from anything else', () => {
    expect(fieldErrorsOf(fields)).toEqual({
      email: 'Invalid email address',
      'override.reason': 'Say in a sentence why',
    });
    expect(fieldErrorsOf(plain)).toEqual({});
    expect(fieldErrorsOf(new Error('boom'))).toEqual({});
    expect(fieldErrorsOf(null)).toEqual({});
  });

  it('tells a refused file from any other failure, whatever the wording', () => {
    expect(isFileRefused(refused)).toBe(true);
    expect(
      isFileRefused(new ApiError({ code: 'INVALID_INPUT', message: 'Nothing was imported' })),
    ).toBe(false);
  });
});

describe('errorNotOnFields (what an alert still has to say)', () => {
  it('is nothing when every refused field is shown on the form', () => {
    expect(errorNotOnFields(fields, ['email', 'override.reason', 'name'])).toBeNull();
  });

  it('is the whole error when one refused field has no input on the form', () => {
    expect(errorNotOnFields(fields, ['email'])).toBe(fields);
  });

  it('leaves a missing proof to the proof field when the form has one', () => {
    expect(errorNotOnFields(proofNeeded, proofFieldNames)).toBeNull();
    expect(errorNotOnFields(proofNeeded, ['email'])).toBe(proofNeeded);
  });

  it('always shows errors without field details, and nothing for no error', () => {
    expect(errorNotOnFields(plain, ['email'])).toBe(plain);
    expect(errorNotOnFields(refused, proofFieldNames)).toBe(refused);
    expect(errorNotOnFields(null, [])).toBeNull();
  });
});
