import { useQuery, useQueryClient } from '@tanstack/react-query';
import { callKey, callQuery } from '../../api/client';
import { useCountdown } from '../../hooks/useCountdown';

export const reauthStatusQuery = () => ({ ...callQuery('auth.reauthStatus', {}), staleTime: 0 });

/**
 * Whether a sensitive action needs a proof typed now, and which kind. `fresh` actions (reset,
 * unlock) always need one; others only when the last proof is older than five minutes.
 */
export function useProofNeeded(fresh: boolean) {
  const status = useQuery(reauthStatusQuery());
  const queryClient = useQueryClient();
  const method = status.data?.method ?? 'code';
  const until = status.data?.until;
  const secondsLeft = useCountdown(until ? Date.parse(until) : null);
  const needed = fresh || secondsLeft <= 0;
  return {
    method,
    needed,
    /** After an action that took a proof, the window moved. */
    refresh: () => queryClient.invalidateQueries({ queryKey: callKey('auth.reauthStatus', {}) }),
  };
}
