import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useSessionStorage } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { longDate } from '../../../../shared/rollout';
import { DryRunList } from './DryRunList';
import { rolloutQuery } from './queries';
import { RequireConfirmModal } from './RequireConfirmModal';

const SNOOZE_MS = 60 * 60 * 1000;

/**
 * On the planned date (checked at start and every minute while the console runs) an admin is
 * asked to switch to Require, with the dry run. "Not now" asks again in an hour; nothing is
 * ever required without a confirmation.
 */
export function EnforcementDueModal() {
  const status = useQuery(rolloutQuery());
  const [snoozedUntil, setSnoozedUntil] = useSessionStorage({
    key: 'org2fa.rollout.dueSnoozedUntil',
    defaultValue: 0,
  });
  const [confirming, setConfirming] = useState(false);
  const s = status.data;
  // The minute-by-minute refetch re-renders this; the snooze is compared against its time.
  const checkedAt = status.dataUpdatedAt;
  const asking = Boolean(s?.due) && checkedAt >= snoozedUntil && !confirming;
  if (!s?.enforcementDate) return null;
  return (
    <>
      <Modal
        opened={asking}
        onClose={() => setSnoozedUntil(Date.now() + SNOOZE_MS)}
        title="The enforcement date has come"
        size="lg"
        centered
      >
        <Stack gap="md">
          <Text size="sm">
            Users were told two-factor authentication is required from {longDate(s.enforcementDate)}
            . Switch the requirement on now? It only happens when you confirm.
          </Text>
          <DryRunList />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setSnoozedUntil(Date.now() + SNOOZE_MS)}>
              Not now (ask again in an hour)
            </Button>
            <Button onClick={() => setConfirming(true)}>Review and require…</Button>
          </Group>
        </Stack>
      </Modal>
      <RequireConfirmModal
        opened={confirming}
        enforcementDate={s.enforcementDate}
        today={s.today}
        onClose={() => setConfirming(false)}
      />
    </>
  );
}
