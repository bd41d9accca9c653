import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { CallInput } from '../../../../shared/contract';
import type { RequiredFor } from '../../../../shared/domain';
import { callApi, callKey, callQuery } from '../../api/client';

export const orgSettingsQuery = () => callQuery('org.getSettings', {});
/** Who a requirement would send to setup, were it switched on now. */
export const previewRequirementQuery = (requiredFor: RequiredFor) =>
  callQuery('org.previewRequirement', { requiredFor });

export function useUpdateOrgSettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: CallInput<'org.updateSettings'>) => callApi('org.updateSettings', input),
    onSuccess: (settings) => {
      queryClient.setQueryData(callKey('org.getSettings', {}), settings);
      return Promise.all([
        queryClient.invalidateQueries({ queryKey: ['twoFactor'] }),
        queryClient.invalidateQueries({ queryKey: ['auth'] }),
      ]);
    },
  });
}
