import { useMutation, useQueryClient } from '@tanstack/react-query';
import { callApi, callKey } from '../../api/client';

export function useVerifySecondFactor() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (code: string) => callApi('auth.verify', { code }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: callKey('auth.session', {}) }),
  });
}
