import { Alert, Badge, Button, Card, Group, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import type { CallOutput } from '../../../../shared/contract';
import { longDate } from '../../../../shared/rollout';
import { DryRunList } from './DryRunList';
import { RequireConfirmModal } from './RequireConfirmModal';

/** Phase 3: require, with the dry run of who it sends to setup. */
export function RequireCard(props: { status: CallOutput<'rollout.get'> }) {
  const { status } = props;
  const [confirming, setConfirming] = useState(false);
  return (
    <Card withBorder padding="lg">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={2} size="h4">
            Phase 3: Require
          </Title>
          <Badge color={status.required ? 'green' : status.due ? 'orange' : 'gray'} variant="light">
            {status.required ? 'Required' : status.due ? 'Due today' : 'Not yet'}
          </Badge>
        </Group>
        {status.required ? (
          <Text size="sm">
            Two-factor authentication is required. Watch the audit trail for setup completions and
            failed attempts, and help users who have difficulties.
          </Text>
        ) : (
          <>
            <Text size="sm">
              Switch on &quot;Require Two-Factor Authentication&quot;: users without 2FA are taken
              to the setup page at sign-in and can reach nothing else until it is done.
              {status.enforcementDate
                ? ` Planned for ${longDate(status.enforcementDate)}; on that day you are asked to confirm.`
                : ''}
            </Text>
            {status.due ? (
              <Alert color="orange" title="The enforcement date has come">
                Confirm the requirement when you are ready; the console never switches it on by
                itself.
              </Alert>
            ) : null}
            <DryRunList />
            <Group>
              <Button
                variant={status.due ? 'filled' : 'default'}
                disabled={!status.enabled}
                onClick={() => setConfirming(true)}
              >
                Require 2FA…
              </Button>
            </Group>
          </>
        )}
      </Stack>
      <RequireConfirmModal
        opened={confirming}
        enforcementDate={status.enforcementDate}
        today={status.today}
        onClose={() => setConfirming(false)}
      />
    </Card>
  );
}
