import { useMutation, useQueryClient } from '@tanstack/react-query';
import { callApi, callKey } from '../../api/client';
import type { CallInput, CallOutput } from '../../../../shared/contract';

export function useCreateOrganization() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: CallInput<'org.create'>) => callApi('org.create', input),
    onSuccess: (result) => {
      const bootstrap: CallOutput<'app.bootstrap'> = { orgExists: true, orgName: result.orgName };
      queryClient.setQueryData(callKey('app.bootstrap', {}), bootstrap);
    },
  });
}
