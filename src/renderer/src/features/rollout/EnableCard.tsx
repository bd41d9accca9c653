import { Badge, Button, Card, Group, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ConfirmActionModal } from '../../components/ConfirmActionModal';
import { useUpdateOrgSettings } from '../org-settings/queries';

/** Phase 1: 2FA available to everyone, required of no one. */
export function EnableCard(props: { enabled: boolean }) {
  const [confirming, setConfirming] = useState(false);
  const update = useUpdateOrgSettings();
  const queryClient = useQueryClient();
  return (
    <Card withBorder padding="lg">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={2} size="h4">
            Phase 1: Enable (optional)
          </Title>
          <Badge color={props.enabled ? 'green' : 'gray'} variant="light">
            {props.enabled ? 'Done' : 'To do'}
          </Badge>
        </Group>
        <Text size="sm">
          {props.enabled
            ? 'Two-factor authentication is available: anyone can set it up in Account settings, nobody has to. Let early adopters try it, then announce the requirement.'
            : 'Turn two-factor authentication on without requiring it, tell users it is available, and give early adopters time to test it.'}
        </Text>
        {props.enabled ? null : (
          <Group>
            <Button onClick={() => setConfirming(true)}>Enable 2FA (optional for users)</Button>
          </Group>
        )}
      </Stack>
      <ConfirmActionModal
        opened={confirming}
        title="Enable two-factor authentication"
        call="org.updateSettings"
        confirmLabel="Enable"
        pending={update.isPending}
        error={update.error}
        onClose={() => {
          update.reset();
          setConfirming(false);
        }}
        onConfirm={(proof) =>
          update.mutate(
            { enabled: true, required: false, ...proof },
            {
              onSuccess: () => {
                void queryClient.invalidateQueries({ queryKey: ['rollout'] });
                notifications.show({
                  color: 'green',
                  title: 'Two-factor authentication enabled',
                  message: 'It is optional for now. The change is in the audit trail.',
                });
                setConfirming(false);
              },
            },
          )
        }
      >
        Users will be able to set up two-factor authentication in their Account settings. Nobody is
        required to yet.
      </ConfirmActionModal>
    </Card>
  );
}
