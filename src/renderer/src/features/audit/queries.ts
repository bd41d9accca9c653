import { infiniteQueryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import type { AuditFilterInput, CallInput, CallOutput } from '../../../../shared/contract';
import { callApi, callKey, callQuery } from '../../api/client';
import { useJob } from '../../hooks/useJob';

const PAGE_SIZE = 200;

/** The audit trail, page by page (keyset cursors), for the virtualized table. */
export function auditEventsQuery(filter: AuditFilterInput) {
  return infiniteQueryOptions({
    queryKey: callKey('audit.query', filter),
    queryFn: ({ pageParam }) =>
      callApi('audit.query', {
        ...filter,
        limit: PAGE_SIZE,
        ...(pageParam ? { cursor: pageParam } : {}),
      }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
}

export type TimeRange = { since?: string; until?: string };

export const timelineQuery = (range: TimeRange, bucket: 'hour' | 'day') =>
  callQuery('audit.timeline', { ...range, bucket });
export const topQuery = (range: TimeRange, by: 'user' | 'ip' | 'network') =>
  callQuery('audit.top', { ...range, by, limit: 8 });
export const heatmapQuery = (range: TimeRange, tzOffsetMinutes: number) =>
  callQuery('audit.heatmap', { ...range, tzOffsetMinutes });
export const patternsQuery = (range: TimeRange) => callQuery('audit.patterns', range);
/** The detectors (kind, title, settings' schema): the findings panel and the settings form. */
export const detectorsQuery = () => ({ ...callQuery('detections.list', {}), staleTime: Infinity });
export const summaryQuery = (range: TimeRange) => callQuery('audit.summary', range);
/** Verifications per country of their address, for the map. */
export const countriesQuery = (range: TimeRange) => callQuery('audit.countries', range);

/**
 * The console user a finding names by e-mail (its `users`), or null when there is none (events
 * imported from another system may name people the console does not hold).
 */
export const findingUserQuery = (email: string) => ({
  ...callQuery('users.list', { search: email }),
  select: (data: CallOutput<'users.list'>) =>
    data.users.find((user) => user.email.toLowerCase() === email.toLowerCase()) ?? null,
});

/**
 * Adds a network block or an autonomous system to the org's trusted networks (geo branch:
 * detections.trustNetwork). Findings computed before are stale afterwards.
 */
export function useTrustNetwork() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: CallInput<'detections.trustNetwork'>) =>
      callApi('detections.trustNetwork', input),
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: ['detections'] }),
        queryClient.invalidateQueries({ queryKey: callKey('audit.patterns', {}).slice(0, 2) }),
      ]),
  });
}

/** One whole event, for the drawer to show what the list cut. */
export const auditEventQuery = (id: number) => callQuery('audit.getEvent', { id });

/** Imports an uploaded event file; the trail's views are stale afterwards. */
export const useImportEvents = () => useJob('audit.import', { invalidates: ['audit'] });
/** Exports the filtered events; the export itself is audited. */
export const useExportEvents = () => useJob('audit.export', { invalidates: ['audit'] });
export const useVerifyChain = () => useJob('audit.verifyChain');

/** The detectors' thresholds in force. */
export const patternSettingsQuery = () => callQuery('audit.getPatternSettings', {});

/** Saves the thresholds; the findings computed with the old ones are stale afterwards. */
export function useUpdatePatternSettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: CallInput<'audit.updatePatternSettings'>) =>
      callApi('audit.updatePatternSettings', input),
    onSuccess: (settings) => {
      queryClient.setQueryData(callKey('audit.getPatternSettings', {}), settings);
      void queryClient.invalidateQueries({ queryKey: callKey('audit.patterns', {}).slice(0, 2) });
    },
  });
}
