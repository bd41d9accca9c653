import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { CallInput, CallName } from '../../../../shared/contract';
import { callApi, callQuery } from '../../api/client';
import { useJob } from '../../hooks/useJob';

/** The users matching the list's filters (status, role, search), filtered by main. */
export const usersListQuery = (filter: CallInput<'users.list'> = {}) =>
  callQuery('users.list', filter);
export const userQuery = (userId: string) => callQuery('users.get', { userId });
export const userEventsQuery = (userId: string) => callQuery('audit.query', { userId, limit: 50 });

type UserMutation =
  'users.add' | 'users.setRole' | 'users.deactivate' | 'users.resetTwoFactor' | 'users.unlock';

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

/** Imports users from CSV text, all or none; every user view and the audit trail are stale after. */
export const useImportUsers = () => useJob('users.import', { invalidates: ['users', 'audit'] });
