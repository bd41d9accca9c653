import {
  Button,
  Divider,
  Group,
  Modal,
  NumberInput,
  SimpleGrid,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useQuery } from '@tanstack/react-query';
import type { DetectorInfo, PatternSettings } from '../../../../shared/contract';
import { ErrorAlert } from '../../components/ErrorAlert';
import { ProofField, proofInput } from '../../components/ProofField';
import { TrustedNetworksSection } from '../detections/TrustedNetworksSection';
import { useProofNeeded } from '../session/reauth';
import { detectorsQuery, patternSettingsQuery, useUpdatePatternSettings } from './queries';

/** Every detector's defaults, as its settings' JSON Schema declares them. */
function defaultsOf(detectors: DetectorInfo[]): PatternSettings {
  return Object.fromEntries(
    detectors.map((detector) => [
      detector.settingsKey,
      Object.fromEntries(
        Object.entries(detector.settings.properties).map(([name, field]) => [name, field.default]),
      ),
    ]),
  );
}

function SettingsForm(props: {
  detectors: DetectorInfo[];
  initial: PatternSettings;
  onDone(): void;
}) {
  const save = useUpdatePatternSettings();
  const proof = useProofNeeded('audit.updatePatternSettings', save.error);
  const form = useForm({ initialValues: { settings: props.initial, proof: '' } });
  return (
    <form
      noValidate
      onSubmit={form.onSubmit(({ settings, proof: proofValue }) =>
        save.mutate(
          { settings, ...proofInput(proof.method, proofValue) },
          {
            onSuccess: () => {
              void proof.refresh();
              props.onDone();
            },
          },
        ),
      )}
    >
      <Stack gap="md">
        {props.detectors.map((detector) => {
          const fields = Object.entries(detector.settings.properties);
          return (
            <Stack key={detector.kind} gap="xs">
              <Title order={3} size="h5">
                {detector.title}
              </Title>
              <Text size="xs">{detector.description}</Text>
              <SimpleGrid cols={fields.length === 3 ? 3 : 2}>
                {fields.map(([name, field]) => (
                  <NumberInput
                    key={name}
                    label={field.title ?? name}
                    description={field.description}
                    min={field.minimum}
                    max={field.maximum}
                    allowDecimal={field.type !== 'integer'}
                    {...form.getInputProps(`settings.${detector.settingsKey}.${name}`)}
                  />
                ))}
              </SimpleGrid>
            </Stack>
          );
        })}
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
            onClick={() =>
              form.setValues({ settings: defaultsOf(props.detectors), proof: form.values.proof })
            }
          >
            Restore defaults
          </Button>
          <Button type="submit" loading={save.isPending || !proof.known}>
            Save thresholds
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** Every detector's thresholds, editable by admins; the form comes from detections.list. */
export function PatternSettingsModal(props: { opened: boolean; onClose(): void }) {
  const settings = useQuery({ ...patternSettingsQuery(), enabled: props.opened });
  const detectors = useQuery({ ...detectorsQuery(), enabled: props.opened });
  return (
    <Modal
      opened={props.opened}
      onClose={props.onClose}
      title="Pattern thresholds"
      size="lg"
      centered
    >
      <ErrorAlert
        error={settings.error ?? detectors.error}
        title="Thresholds could not be loaded"
      />
      {settings.data && detectors.data ? (
        <SettingsForm
          detectors={detectors.data.detectors}
          initial={settings.data}
          onDone={props.onClose}
        />
      ) : null}
      <Divider my="lg" />
      {props.opened ? <TrustedNetworksSection /> : null}
    </Modal>
  );
}
