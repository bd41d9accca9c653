import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { callKey, callQuery } from '../../api/client';
import { detailsOf } from '../../api/api-error';
import { useCountdown } from '../../hooks/useCountdown';
import { decideProof, proofLevelOf, type ProofCall } from './proof-policy';

export const reauthStatusQuery = () => ({ ...callQuery('auth.reauthStatus', {}), staleTime: 0 });

/**
 * Whether the form of a sensitive call must ask for a proof now, and which kind, from the proof
 * level the contract declares for `call` (see `decideProof`). Pass the call's last error, so that
 * a refusal for want of a proof shows the proof field instead of an opaque error.
 */
export function useProofNeeded(call: ProofCall, error?: unknown) {
  const status = useQuery(reauthStatusQuery());
  const queryClient = useQueryClient();
  const until = status.data?.until;
  const secondsLeft = useCountdown(until ? Date.parse(until) : null);
  const decision = decideProof({
    level: proofLevelOf(call),
    windowSecondsLeft: secondsLeft,
    method: status.data?.method ?? 'code',
    error,
  });
  const refresh = () =>
    queryClient.invalidateQueries({ queryKey: callKey('auth.reauthStatus', {}) });
  // The window closed sooner than this console knew (another client, a restart): re-read it.
  const refusedForProof = detailsOf(error, 'proof_needed') !== undefined;
  useEffect(() => {
    if (refusedForProof)
      void queryClient.invalidateQueries({ queryKey: callKey('auth.reauthStatus', {}) });
  }, [refusedForProof, queryClient]);
  return {
    ...decision,
    /**
     * Whether the decision rests on the server's answer: until auth.reauthStatus has come, a
     * `recent` form cannot know whether to ask; its submit waits rather than guess.
     */
    known: proofLevelOf(call) === 'fresh' || status.data !== undefined || status.isError,
    /** After an action that took a proof, the window moved. */
    refresh,
  };
}
