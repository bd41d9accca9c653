import type { CallName, Contract, ProofLevel } from '../../../../shared/contract';
import { contract } from '../../../../shared/contract';
import { detailsOf, fieldErrorsOf, proofFieldNames } from '../../api/api-error';

/** The calls whose contract entry asks for a proof of identity. */
export type ProofCall = {
  [N in CallName]: Contract[N]['proof'] extends 'none' ? never : N;
}[CallName];

export type ProofMethod = 'code' | 'password';

/** The proof a call needs, as its contract entry declares it. */
export function proofLevelOf(name: ProofCall): Exclude<ProofLevel, 'none'> {
  return contract[name].proof as Exclude<ProofLevel, 'none'>;
}

export interface ProofDecision {
  /** Show the proof field and send what is typed in it. */
  needed: boolean;
  method: ProofMethod;
  /** What to show on the proof field after the call refused the proof (or its absence). */
  fieldError: string | undefined;
}

/**
 * Whether a form must ask for a proof now: always for a `fresh` call; for a `recent` one when the
 * window of the last proof is over, or when the call was just refused for want of one.
 */
export function decideProof(input: {
  level: Exclude<ProofLevel, 'none'>;
  /** Seconds left in the window of the last proof (auth.reauthStatus); 0 when none is open. */
  windowSecondsLeft: number;
  /** The method auth.reauthStatus names; the call's own refusal, when there is one, wins. */
  method: ProofMethod;
  /** The call's last error, if any. */
  error: unknown;
}): ProofDecision {
  const refused = detailsOf(input.error, 'proof_needed');
  const method = refused?.method ?? input.method;
  const fields = fieldErrorsOf(input.error);
  const wrongProof = proofFieldNames.map((name) => fields[name]).find(Boolean);
  return {
    needed:
      input.level === 'fresh' ||
      input.windowSecondsLeft <= 0 ||
      refused !== undefined ||
      wrongProof !== undefined,
    method,
    fieldError: refused
      ? method === 'code'
        ? 'Confirm it is you: enter a current code'
        : 'Confirm it is you: enter your password'
      : wrongProof,
  };
}
