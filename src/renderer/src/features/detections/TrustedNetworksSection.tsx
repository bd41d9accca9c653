import {
  ActionIcon,
  Button,
  Group,
  NumberInput,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import {
  trustedNetworkValueSchema,
  type TrustedNetworksSettings,
} from '../../../../shared/contract';
import { fieldErrorsOf } from '../../api/api-error';
import { ErrorAlert } from '../../components/ErrorAlert';
import { ProofField, proofInput } from '../../components/ProofField';
import { useProofNeeded } from '../session/reauth';
import { trustedNetworksQuery, useUpdateTrustedNetworks } from './queries';

type Entry = { value: string; label: string };

function TrustedNetworksForm(props: { initial: TrustedNetworksSettings }) {
  const save = useUpdateTrustedNetworks();
  const proof = useProofNeeded('detections.updateTrustedNetworks', save.error);
  const form = useForm({
    initialValues: {
      networks: props.initial.networks.map((n): Entry => ({ value: n.value, label: n.label })),
      ordinaryPercent: props.initial.ordinaryPercent,
      proof: '',
    },
    validate: {
      networks: {
        value: (value: string) => {
          const checked = trustedNetworkValueSchema.safeParse(value);
          return checked.success ? null : (checked.error.issues[0]?.message ?? 'Not a network');
        },
      },
    },
  });
  const refused = fieldErrorsOf(save.error);
  return (
    <form
      noValidate
      onSubmit={form.onSubmit(({ networks, ordinaryPercent, proof: proofValue }) =>
        save.mutate(
          { networks, ordinaryPercent, ...proofInput(proof.method, proofValue) },
          {
            onSuccess: (saved) => {
              void proof.refresh();
              form.setValues({ networks: saved.networks, proof: '' });
              notifications.show({ color: 'green', message: 'Trusted networks saved.' });
            },
            // main names the entry it refused (networks.N.value): show it beside that field.
            onError: (error) => form.setErrors(fieldErrorsOf(error)),
          },
        ),
      )}
    >
      <Stack gap="sm">
        <Text size="xs">
          Verifications from these networks never raise a location finding (new network, new
          country, travel): the org&apos;s offices and its VPN&apos;s exits. A CIDR block
          (203.0.113.0/24), an address, or an autonomous system (AS13335).
        </Text>
        {form.values.networks.length === 0 ? (
          <Text size="sm" c="dimmed">
            No trusted networks.
          </Text>
        ) : null}
        {form.values.networks.map((_, index) => (
          <Group key={form.key(`networks.${index}`)} align="flex-start" wrap="nowrap" gap="xs">
            <TextInput
              aria-label={`Network ${index + 1}`}
              placeholder="203.0.113.0/24 or AS13335"
              style={{ flex: 1 }}
              {...form.getInputProps(`networks.${index}.value`)}
            />
            <TextInput
              aria-label={`What network ${index + 1} is`}
              placeholder="Paris office"
              style={{ flex: 1 }}
              {...form.getInputProps(`networks.${index}.label`)}
            />
            <ActionIcon
              variant="subtle"
              color="gray"
              size="lg"
              aria-label={`Remove network ${index + 1}`}
              onClick={() => form.removeListItem('networks', index)}
            >
              <IconTrash size={16} />
            </ActionIcon>
          </Group>
        ))}
        <Group>
          <Button
            variant="light"
            size="xs"
            leftSection={<IconPlus size={14} />}
            onClick={() => form.insertListItem('networks', { value: '', label: '' })}
          >
            Add a network
          </Button>
        </Group>
        <NumberInput
          label="Ordinary networks: used by at least this share of users (%)"
          description="A /24 (IPv6 /48) from which at least this share of the org's users verified successfully in the last 90 days, and at least 5 users, counts as trusted. 0 turns it off."
          min={0}
          max={100}
          allowDecimal
          {...form.getInputProps('ordinaryPercent')}
        />
        {proof.needed ? (
          <ProofField
            method={proof.method}
            value={form.values.proof}
            error={refused.code ?? refused.currentPassword ?? proof.fieldError}
            onChange={(value) => form.setFieldValue('proof', value)}
          />
        ) : null}
        <ErrorAlert error={save.error} title="Trusted networks not saved" />
        <Group justify="flex-end">
          <Button type="submit" loading={save.isPending || !proof.known}>
            Save trusted networks
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/**
 * The org's trusted networks, edited beside the pattern thresholds: networks that never make a
 * location finding, and the share of users that makes a network ordinary.
 */
export function TrustedNetworksSection() {
  const trusted = useQuery(trustedNetworksQuery());
  return (
    <Stack gap="xs">
      <Title order={3} size="h5">
        Trusted networks
      </Title>
      <ErrorAlert error={trusted.error} title="Trusted networks could not be loaded" />
      {trusted.data ? <TrustedNetworksForm initial={trusted.data} /> : null}
    </Stack>
  );
}
