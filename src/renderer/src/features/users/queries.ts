import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { CallInput, CallName } from '../../../../shared/contract';
import { callApi, callQuery } from '../../api/client';

export const usersListQuery = () => callQuery('users.list', {});
export const userQuery = (userId: string) => callQuery('users.get', { userId });
export const userEventsQuery = (userId: string) => callQuery('audit.query', { userId, limit: 50 });

type UserMutation =
  | 'users.add'
  | 'users.import'
  | 'users.setRole'
  | 'users.deactivate'
  | 'users.resetTwoFactor'
  | 'users.unlock';

/** An admin action on users; afterwards every user view and the audit trail are stale. */
export function useUserMutation<N extends UserMutation & CallName>(name: N) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: CallInput<N>) => callApi(name, input),
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: ['users'] }),
        queryClient.invalidateQueries({ queryKey: ['audit'] }),
      ]),
  });
}
