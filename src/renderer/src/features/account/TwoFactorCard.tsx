import {
  Alert,
  Badge,
  Button,
  Card,
  Group,
  Modal,
  Stack,
  Text,
  Title,
  Tooltip,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import type { SessionUser } from '../../../../shared/domain';
import { BackupCodesPanel } from '../../components/BackupCodesPanel';
import { LockoutAlert } from '../../components/LockoutAlert';
import { bootstrapQuery } from '../session/queries';
import {
  twoFactorStatusQuery,
  useDisableTwoFactor,
  useRegenerateBackupCodes,
} from '../two-factor/queries';
import { CodeConfirmModal } from './CodeConfirmModal';

type Dialog = 'disable' | 'regenerate' | null;

/** The user's own 2FA: status, backup codes left, and the actions the org's settings allow. */
export function TwoFactorCard(props: { user: SessionUser }) {
  const status = useQuery(twoFactorStatusQuery());
  const bootstrap = useQuery(bootstrapQuery());
  const disable = useDisableTwoFactor();
  const regenerate = useRegenerateBackupCodes();
  const [dialog, setDialog] = useState<Dialog>(null);
  const s = status.data;
  if (!s) return null;

  const badge = s.active
    ? { color: 'green', label: 'On' }
    : s.enrolled
      ? { color: 'gray', label: 'Inactive' }
      : { color: 'orange', label: 'Off' };

  return (
    <Card withBorder padding="lg">
      <Stack gap="md">
        <Group justify="space-between">
          <Title order={2} size="h3">
            Two-factor authentication
          </Title>
          <Badge color={badge.color} variant="light" size="lg">
            {badge.label}
          </Badge>
        </Group>
        {!s.orgEnabled ? (
          <Text>
            Your organization has two-factor authentication turned off.
            {s.enrolled
              ? ' Your setup is kept and becomes active again when it is turned back on.'
              : ''}
          </Text>
        ) : s.enrolled ? (
          <Stack gap={4}>
            <Text>
              You are asked for a code from your authenticator app each time you sign in
              {s.activatedAt ? ` (on since ${new Date(s.activatedAt).toLocaleDateString()})` : ''}.
            </Text>
            <Text
              fw={s.backupCodesLeft <= 3 ? 700 : 400}
              c={s.backupCodesLeft <= 3 ? 'var(--mantine-color-error)' : undefined}
            >
              {s.backupCodesLeft} of 10 backup codes left
              {s.backupCodesLeft <= 3 ? ': regenerate them soon.' : '.'}
            </Text>
            {s.requiredForYou ? (
              <Text>Your organization requires two-factor authentication.</Text>
            ) : null}
          </Stack>
        ) : (
          <Text>
            {s.requiredForYou
              ? 'Your organization requires two-factor authentication. Set it up to continue.'
              : 'Protect your account with a code from an authenticator app in addition to your password.'}
          </Text>
        )}
        <LockoutAlert
          untilMs={s.lockedUntil ? Date.parse(s.lockedUntil) : null}
          needsAdmin={s.needsAdminUnlock}
        />
        {s.orgEnabled ? (
          <Group gap="sm">
            {!s.enrolled ? (
              <Button component={Link} to="/setup">
                Set up two-factor authentication
              </Button>
            ) : (
              <>
                <Button variant="default" onClick={() => setDialog('regenerate')}>
                  Regenerate backup codes
                </Button>
                <Tooltip
                  label="Your organization requires two-factor authentication"
                  disabled={s.canDisable}
                >
                  <Button
                    color="red"
                    variant="outline"
                    disabled={!s.canDisable}
                    onClick={() => setDialog('disable')}
                  >
                    Turn off
                  </Button>
                </Tooltip>
              </>
            )}
          </Group>
        ) : null}
        {s.enrolled && !s.canDisable && s.requiredForYou ? (
          <Alert variant="light" color="gray">
            You cannot turn two-factor authentication off while your organization requires it.
          </Alert>
        ) : null}
      </Stack>

      <CodeConfirmModal
        opened={dialog === 'disable'}
        title="Turn off two-factor authentication?"
        explanation="Your account will be protected by your password only. Enter a current code to confirm."
        confirmLabel="Turn off"
        danger
        pending={disable.isPending}
        error={disable.error}
        onClose={() => {
          disable.reset();
          setDialog(null);
        }}
        onConfirm={(code) =>
          disable.mutate(code, {
            onSuccess: () => {
              setDialog(null);
              notifications.show({
                color: 'orange',
                title: 'Two-factor authentication is off',
                message: 'Your backup codes no longer work.',
              });
            },
          })
        }
      />
      <CodeConfirmModal
        opened={dialog === 'regenerate' && !regenerate.data}
        title="Regenerate backup codes"
        explanation="Ten new codes replace all your current ones, used or not. Enter a current code to confirm."
        confirmLabel="Regenerate"
        pending={regenerate.isPending}
        error={regenerate.error}
        onClose={() => {
          regenerate.reset();
          setDialog(null);
        }}
        onConfirm={(code) => regenerate.mutate(code)}
      />
      <Modal
        opened={regenerate.data !== undefined}
        onClose={() => undefined}
        withCloseButton={false}
        closeOnClickOutside={false}
        closeOnEscape={false}
        title="Your new backup codes"
        size="lg"
        centered
      >
        {regenerate.data ? (
          <BackupCodesPanel
            codes={regenerate.data.backupCodes}
            account={props.user.email}
            orgName={bootstrap.data?.orgName ?? ''}
            doneLabel="Done"
            onDone={() => {
              regenerate.reset();
              setDialog(null);
            }}
          />
        ) : null}
      </Modal>
    </Card>
  );
}
