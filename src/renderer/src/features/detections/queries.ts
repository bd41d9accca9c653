import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { CallInput } from '../../../../shared/contract';
import { callApi, callKey, callQuery } from '../../api/client';

/** The org's trusted networks and the "ordinary network" share. */
export const trustedNetworksQuery = () => callQuery('detections.getTrustedNetworks', {});

/** Saves them; findings computed before are stale afterwards. */
export function useUpdateTrustedNetworks() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: CallInput<'detections.updateTrustedNetworks'>) =>
      callApi('detections.updateTrustedNetworks', input),
    onSuccess: (saved) => {
      queryClient.setQueryData(callKey('detections.getTrustedNetworks', {}), saved);
      void queryClient.invalidateQueries({ queryKey: callKey('audit.patterns', {}).slice(0, 2) });
    },
  });
}
