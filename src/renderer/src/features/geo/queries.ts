import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { CallInput } from '../../../../shared/contract';
import { callApi, callKey, callQuery } from '../../api/client';

/** The offline geo databases in use, with their licences and data dates. */
export const geoAboutQuery = () => callQuery('geo.about', {});

/**
 * Points the console to the admin's own .mmdb folder (null: the bundled data). Every address is
 * relocated: findings, countries and the map are stale afterwards.
 */
export function useSetGeoDirectory() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: CallInput<'geo.setDirectory'>) => callApi('geo.setDirectory', input),
    onSuccess: (about) => {
      queryClient.setQueryData(callKey('geo.about', {}), about);
      void queryClient.invalidateQueries({ queryKey: ['audit'] });
    },
  });
}
