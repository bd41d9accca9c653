import { useMutation } from '@tanstack/react-query';
import type { CallInput } from '../../../../shared/contract';
import { callApi } from '../../api/client';

export function useChangePassword() {
  return useMutation({
    mutationFn: (input: CallInput<'account.changePassword'>) =>
      callApi('account.changePassword', input),
  });
}
