import { useMutation, useQueryClient } from '@tanstack/react-query';
import { callApi, callKey } from '../../api/client';
import type { CallInput } from '../../../../shared/contract';

export function useSignIn() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: CallInput<'auth.signIn'>) => callApi('auth.signIn', input),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: callKey('auth.session', {}) }),
  });
}
