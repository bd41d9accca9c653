import { Alert, Button, Loader, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconKeyOff } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { ConfirmActionModal } from '../../components/ConfirmActionModal';
import { VisibleText } from '../../components/VisibleText';
import { useUserMutation } from '../users/queries';
import { findingUserQuery } from './queries';

/**
 * A finding's "Reset 2FA": the admin reset (users.resetTwoFactor, a fresh proof every time) of
 * the one user the finding names by e-mail, looked up among the console's users when asked.
 */
export function ResetTwoFactorButton(props: { email: string }) {
  const [opened, setOpened] = useState(false);
  const user = useQuery({ ...findingUserQuery(props.email), enabled: opened });
  const reset = useUserMutation('users.resetTwoFactor');
  const close = () => {
    reset.reset();
    setOpened(false);
  };
  const found = user.data ?? null;
  return (
    <>
      <Button
        size="xs"
        variant="light"
        color="red"
        leftSection={<IconKeyOff size={14} />}
        onClick={() => setOpened(true)}
      >
        Reset 2FA
      </Button>
      <ConfirmActionModal
        opened={opened}
        title={
          <>
            Reset two-factor authentication for <VisibleText>{props.email}</VisibleText>?
          </>
        }
        confirmLabel="Reset"
        danger
        call="users.resetTwoFactor"
        pending={reset.isPending}
        confirmDisabled={!found}
        error={reset.error ?? user.error}
        onClose={close}
        onConfirm={(proof) => {
          if (!found) return;
          reset.mutate(
            { userId: found.id, ...proof },
            {
              onSuccess: () => {
                close();
                notifications.show({
                  color: 'green',
                  message: (
                    <>
                      Two-factor authentication reset for <VisibleText>{found.email}</VisibleText>.
                      They set it up again at their next sign-in.
                    </>
                  ),
                });
              },
            },
          );
        }}
      >
        {user.isPending ? (
          <Loader size="sm" aria-label="Looking up the user" />
        ) : found ? (
          <Text size="sm">
            <VisibleText>{found.name}</VisibleText>’s authenticator secret and all backup codes are
            deleted, their lockouts cleared and their sessions ended. They set up two-factor
            authentication again at their next sign-in.
          </Text>
        ) : user.isSuccess ? (
          <Alert color="yellow" variant="light" title="Not a user of this console">
            No console user has this e-mail: the events came from another system (an import). Reset
            the user’s two-factor authentication there.
          </Alert>
        ) : null}
      </ConfirmActionModal>
    </>
  );
}
