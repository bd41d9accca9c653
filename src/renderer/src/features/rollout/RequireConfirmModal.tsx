import { Alert, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { longDate } from '../../../../shared/rollout';
import { ConfirmActionModal } from '../../components/ConfirmActionModal';
import { useUpdateOrgSettings } from '../org-settings/queries';
import { DryRunList } from './DryRunList';

/** Phase 3, confirmed by an admin with the dry run in front of them: never switched on silently. */
export function RequireConfirmModal(props: {
  opened: boolean;
  enforcementDate: string | null;
  today: string;
  onClose(): void;
}) {
  const update = useUpdateOrgSettings();
  const queryClient = useQueryClient();
  const early = props.enforcementDate !== null && props.today < props.enforcementDate;
  return (
    <ConfirmActionModal
      opened={props.opened}
      title="Require two-factor authentication"
      call="org.updateSettings"
      confirmLabel="Require 2FA now"
      pending={update.isPending}
      error={update.error}
      onClose={() => {
        update.reset();
        props.onClose();
      }}
      onConfirm={(proof) =>
        update.mutate(
          { enabled: true, required: true, ...proof },
          {
            onSuccess: () => {
              void queryClient.invalidateQueries({ queryKey: ['rollout'] });
              notifications.show({
                color: 'green',
                title: 'Two-factor authentication is now required',
                message:
                  'Users without it are taken to setup when they next sign in. The change is in the audit trail.',
              });
              props.onClose();
            },
          },
        )
      }
    >
      <Stack gap="sm">
        {props.enforcementDate ? (
          early ? (
            <Alert color="orange" title="Earlier than announced">
              Users were told {longDate(props.enforcementDate)}. Requiring now gives them less
              notice than promised.
            </Alert>
          ) : (
            <Text size="sm">
              The date announced to users, {longDate(props.enforcementDate)}, has come.
            </Text>
          )
        ) : (
          <Alert color="orange" title="Not announced">
            No enforcement date was announced (Phase 2). The guide recommends at least two
            weeks&apos; notice.
          </Alert>
        )}
        <DryRunList />
      </Stack>
    </ConfirmActionModal>
  );
}
