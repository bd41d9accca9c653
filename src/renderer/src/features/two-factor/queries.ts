import { useMutation, useQueryClient } from '@tanstack/react-query';
import { callApi, callKey, callQuery } from '../../api/client';

export const twoFactorStatusQuery = () => callQuery('twoFactor.status', {});

/** After any 2FA change the session state may differ too (setup_required → signed_in). */
function useInvalidateTwoFactor() {
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: callKey('twoFactor.status', {}) }),
      queryClient.invalidateQueries({ queryKey: ['auth'] }),
    ]);
}

export function useBeginSetup() {
  return useMutation({ mutationFn: () => callApi('twoFactor.beginSetup', {}) });
}

export function useConfirmSetup() {
  const invalidate = useInvalidateTwoFactor();
  return useMutation({
    mutationFn: (code: string) => callApi('twoFactor.confirmSetup', { code }),
    // Not awaited: the backup codes must be on screen before the page learns 2FA is on.
    onSuccess: () => void invalidate(),
  });
}

export function useDisableTwoFactor() {
  const invalidate = useInvalidateTwoFactor();
  return useMutation({
    mutationFn: (code: string) => callApi('twoFactor.disable', { code }),
    onSuccess: () => invalidate(),
  });
}

export function useRegenerateBackupCodes() {
  const invalidate = useInvalidateTwoFactor();
  return useMutation({
    mutationFn: (code: string) => callApi('twoFactor.regenerateBackupCodes', { code }),
    onSuccess: () => invalidate(),
  });
}
