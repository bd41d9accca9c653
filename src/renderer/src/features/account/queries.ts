import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { CallInput } from '../../../../shared/contract';
import { callApi, callQuery } from '../../api/client';

export function useChangePassword() {
  return useMutation({
    mutationFn: (input: CallInput<'account.changePassword'>) =>
      callApi('account.changePassword', input),
  });
}

export const noticesQuery = () => callQuery('account.notices', {});

export function useDismissNotice() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => callApi('account.dismissNotice', { id }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: noticesQuery().queryKey }),
  });
}
