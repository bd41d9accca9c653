import { Button, Group, Modal, NumberInput, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { defaultPatternSettings, type PatternSettings } from '../../../../shared/analytics';
import { callApi, callKey, callQuery } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { ProofField, proofInput } from '../../components/ProofField';
import { useProofNeeded } from '../session/reauth';

function SettingsForm(props: { initial: PatternSettings; onDone(): void }) {
  const queryClient = useQueryClient();
  const proof = useProofNeeded('audit.updatePatternSettings');
  const save = useMutation({
    mutationFn: (input: { settings: PatternSettings; proof: string }) =>
      callApi('audit.updatePatternSettings', {
        settings: input.settings,
        ...proofInput(proof.method, input.proof),
      }),
    onSuccess: (settings) => {
      queryClient.setQueryData(callKey('audit.getPatternSettings', {}), settings);
      void queryClient.invalidateQueries({ queryKey: callKey('audit.patterns', {}).slice(0, 2) });
      void proof.refresh();
    },
  });
  const form = useForm({ initialValues: { ...props.initial, proof: '' } });
  const number = (path: string, label: string, min: number, max: number) => (
    <NumberInput
      label={label}
      min={min}
      max={max}
      allowDecimal={false}
      {...form.getInputProps(path)}
    />
  );
  return (
    <form
      noValidate
      onSubmit={form.onSubmit(({ proof: proofValue, ...settings }) =>
        save.mutate({ settings, proof: proofValue }, { onSuccess: props.onDone }),
      )}
    >
      <Stack gap="md">
        <Title order={3} size="h5">
          Many failures for one user
        </Title>
        <SimpleGrid cols={2}>
          {number('userFailures.minFailures', 'Failures in a row', 2, 1000)}
          {number('userFailures.windowMinutes', 'Within minutes', 1, 1440)}
        </SimpleGrid>
        <Title order={3} size="h5">
          Unusual location (new network)
        </Title>
        <SimpleGrid cols={3}>
          {number('newNetwork.lookbackDays', 'Unseen for days', 7, 365)}
          {number('newNetwork.baselineDays', 'Baseline: sign-in days', 1, 90)}
          {number('newNetwork.baselineSpanDays', 'Baseline: spanning days', 0, 90)}
        </SimpleGrid>
        <Title order={3} size="h5">
          Coordinated attack
        </Title>
        <SimpleGrid cols={2}>
          {number('coordinated.burstUsers', 'Users failing at once', 2, 100000)}
          {number('coordinated.burstWindowMinutes', 'Within minutes', 1, 1440)}
          {number('coordinated.sprayUsers', 'Users from one network', 2, 100000)}
          {number('coordinated.sprayWindowMinutes', 'Within minutes ', 1, 1440)}
        </SimpleGrid>
        <Text size="xs">
          Failures followed by a success within 10 minutes are typos and never count.
        </Text>
        {proof.needed ? (
          <ProofField
            method={proof.method}
            value={form.values.proof}
            onChange={(value) => form.setFieldValue('proof', value)}
          />
        ) : null}
        <ErrorAlert error={save.error} title="Thresholds not saved" />
        <Group justify="space-between">
          <Button
            variant="subtle"
            onClick={() => form.setValues({ ...defaultPatternSettings, proof: form.values.proof })}
          >
            Restore defaults
          </Button>
          <Button type="submit" loading={save.isPending}>
            Save thresholds
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** The pattern thresholds, editable by admins; changes are audited. */
export function PatternSettingsModal(props: { opened: boolean; onClose(): void }) {
  const settings = useQuery({
    ...callQuery('audit.getPatternSettings', {}),
    enabled: props.opened,
  });
  return (
    <Modal
      opened={props.opened}
      onClose={props.onClose}
      title="Pattern thresholds"
      size="lg"
      centered
    >
      <ErrorAlert error={settings.error} title="Thresholds could not be loaded" />
      {settings.data ? <SettingsForm initial={settings.data} onDone={props.onClose} /> : null}
    </Modal>
  );
}
