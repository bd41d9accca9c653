import { Breadcrumbs, Grid, Stack, Text, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { ErrorAlert } from '../../components/ErrorAlert';
import { AdoptionCard } from './AdoptionCard';
import { AnnounceCard } from './AnnounceCard';
import { EnableCard } from './EnableCard';
import { MessageCard } from './MessageCard';
import { NotEnrolledCard } from './NotEnrolledCard';
import { PhaseTracker } from './PhaseTracker';
import { rolloutQuery } from './queries';
import { RequireCard } from './RequireCard';

/** The guide's rollout strategy as a workflow: where the org is, the next step, and adoption. */
export function RolloutPage() {
  const status = useQuery(rolloutQuery());
  const queryClient = useQueryClient();
  const enrolled = status.data?.adoption.enrolled;
  const total = status.data?.adoption.total;
  // The status is re-read every minute; when its figures move, the lists behind them did too.
  useEffect(() => {
    if (enrolled === undefined) return;
    void queryClient.invalidateQueries({ queryKey: ['users', 'list'] });
    void queryClient.invalidateQueries({ queryKey: ['rollout', 'preview'] });
    void queryClient.invalidateQueries({ queryKey: ['rollout', 'adoptionHistory'] });
  }, [enrolled, total, queryClient]);
  if (!status.data)
    return status.error ? (
      <ErrorAlert error={status.error} title="The rollout could not be loaded" />
    ) : (
      <Text>Loading the rollout…</Text>
    );
  const s = status.data;
  return (
    <Stack gap="lg">
      <Breadcrumbs>
        <Text size="sm">Company Profile</Text>
        <Text size="sm">Rollout</Text>
      </Breadcrumbs>
      <Stack gap={2}>
        <Title order={1}>Two-factor rollout</Title>
        <Text>
          Enable, communicate with at least two weeks&apos; notice, then require: the admin
          guide&apos;s recommended approach, with every step in the audit trail.
        </Text>
      </Stack>
      <PhaseTracker phase={s.phase} enabled={s.enabled} />
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, lg: 6 }}>
          <Stack gap="lg">
            <EnableCard enabled={s.enabled} />
            <AnnounceCard status={s} />
            <RequireCard status={s} />
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 6 }}>
          <Stack gap="lg">
            <AdoptionCard status={s} />
            <NotEnrolledCard />
          </Stack>
        </Grid.Col>
      </Grid>
      <MessageCard />
    </Stack>
  );
}
