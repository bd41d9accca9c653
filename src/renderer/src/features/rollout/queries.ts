import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { CallInput } from '../../../../shared/contract';
import { callApi, callQuery } from '../../api/client';

/** Re-read every minute: the enforcement date can arrive while the console is open. */
export const rolloutQuery = () => ({
  ...callQuery('rollout.get', {}),
  refetchInterval: 60_000,
  refetchIntervalInBackground: true,
});
export const rolloutPreviewQuery = () => callQuery('rollout.preview', {});
export const adoptionHistoryQuery = () => callQuery('rollout.adoptionHistory', {});
export const notEnrolledQuery = () => callQuery('users.list', { status: 'not_enrolled' });
export const templatesQuery = () => callQuery('templates.list', {});
export const renderMessageQuery = (input: CallInput<'rollout.renderMessage'>) =>
  callQuery('rollout.renderMessage', input);

/** After any rollout change the status, the audit trail and the rendered messages are stale. */
function useRolloutMutation<N extends 'rollout.announce' | 'templates.save' | 'templates.reset'>(
  name: N,
) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: CallInput<N>) => callApi(name, input),
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: ['rollout'] }),
        queryClient.invalidateQueries({ queryKey: ['templates'] }),
        queryClient.invalidateQueries({ queryKey: ['audit'] }),
      ]),
  });
}

export const useAnnounce = () => useRolloutMutation('rollout.announce');
export const useSaveTemplate = () => useRolloutMutation('templates.save');
export const useResetTemplate = () => useRolloutMutation('templates.reset');

/** The filled message as a file (.eml or .txt), refused while a placeholder is unfilled. */
export function useExportMessage() {
  return useMutation({
    mutationFn: (input: CallInput<'templates.exportEml'>) => callApi('templates.exportEml', input),
  });
}
