import { useMutation, useQueryClient } from '@tanstack/react-query';
import { callApi, callQuery } from '../../api/client';

export const bootstrapQuery = () => callQuery('app.bootstrap', {});
export const sessionQuery = () => callQuery('auth.session', {});

/** Signs out and forgets every cached answer: the next user must not see this one's data. */
export function useSignOut() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => callApi('auth.signOut', {}),
    onSuccess: () => {
      queryClient.clear();
    },
  });
}
