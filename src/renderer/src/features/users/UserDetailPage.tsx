import {
  Alert,
  Anchor,
  Badge,
  Breadcrumbs,
  Button,
  Card,
  Group,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { roles, type Role } from '../../../../shared/domain';
import { visibleText } from '../../../../shared/text-safety';
import { ErrorAlert } from '../../components/ErrorAlert';
import { ConfirmActionModal } from '../../components/ConfirmActionModal';
import { detailsSummary, shortEventType } from '../../components/event-details';
import { LockoutAlert } from '../../components/LockoutAlert';
import { VisibleText } from '../../components/VisibleText';
import { sessionQuery } from '../session/queries';
import { formatDateTime, methodLabels, relativeTime } from './format';
import { userEventsQuery, userQuery, useUserMutation } from './queries';
import { roleLabels, TwoFactorStatusBadge } from './TwoFactorStatusBadge';

type Dialog = 'reset' | 'unlock' | 'role' | 'deactivate' | null;

function Fact(props: { label: string; children: React.ReactNode }) {
  return (
    <Stack gap={0}>
      <Text size="xs" fw={700} tt="uppercase">
        {props.label}
      </Text>
      <Text>{props.children}</Text>
    </Stack>
  );
}

/** One user's 2FA: status, recent events, and the admin actions (reset, unlock, role, deactivate). */
export function UserDetailPage() {
  const { userId = '' } = useParams();
  const session = useQuery(sessionQuery());
  const user = useQuery(userQuery(userId));
  const events = useQuery(userEventsQuery(userId));
  const reset = useUserMutation('users.resetTwoFactor');
  const unlock = useUserMutation('users.unlock');
  const setRole = useUserMutation('users.setRole');
  const deactivate = useUserMutation('users.deactivate');
  const [dialog, setDialog] = useState<Dialog>(null);
  const [newRole, setNewRole] = useState<Role | null>(null);
  const [wasReset, setWasReset] = useState(false);

  if (user.error) return <ErrorAlert error={user.error} title="User not found" />;
  const u = user.data;
  if (!u) return null;
  const tf = u.twoFactor;
  const isSelf = session.data?.user?.id === u.id;
  const close = () => {
    for (const mutation of [reset, unlock, setRole, deactivate]) mutation.reset();
    setDialog(null);
  };

  return (
    <Stack gap="lg" maw={980}>
      <Breadcrumbs>
        <Anchor component={Link} to="/users" size="sm">
          Users
        </Anchor>
        <Text size="sm">
          <VisibleText truncate maw={360}>
            {u.email}
          </VisibleText>
        </Text>
      </Breadcrumbs>
      <Group justify="space-between" align="flex-start">
        <Stack gap={2} maw="100%">
          <Title order={1}>
            <VisibleText>{u.name}</VisibleText>
          </Title>
          <Group gap="xs">
            <Text>
              <VisibleText>{u.email}</VisibleText>
            </Text>
            <Badge variant="light" color="indigo" radius="sm">
              {roleLabels[u.role]}
            </Badge>
            {u.accountStatus === 'deactivated' ? (
              <Badge variant="light" color="gray" radius="sm">
                Deactivated
              </Badge>
            ) : null}
          </Group>
        </Stack>
      </Group>

      {wasReset ? (
        <Alert
          color="blue"
          variant="light"
          title="Two-factor authentication was reset"
          onClose={() => setWasReset(false)}
          withCloseButton
        >
          Tell <VisibleText>{u.name}</VisibleText>: “Sign in with your password as usual. You will
          be asked to set up two-factor authentication again: scan the new QR code with your
          authenticator app and save the new backup codes. Your old codes and backup codes no longer
          work.”
        </Alert>
      ) : null}

      <Card withBorder padding="lg">
        <Stack gap="md">
          <Group justify="space-between">
            <Title order={2} size="h3">
              Two-factor authentication
            </Title>
            <TwoFactorStatusBadge status={tf.status} />
          </Group>
          <SimpleGrid cols={{ base: 2, md: 4 }}>
            <Fact label="Last verified">
              <span title={formatDateTime(tf.lastVerifiedAt)}>
                {relativeTime(tf.lastVerifiedAt)}
              </span>
            </Fact>
            <Fact label="Last method">{tf.lastMethod ? methodLabels[tf.lastMethod] : '—'}</Fact>
            <Fact label="Failed attempts (7 days)">{tf.failuresLast7Days}</Fact>
            <Fact label="Backup codes left">
              {tf.enrolled ? `${tf.backupCodesLeft} of 10` : '—'}
            </Fact>
          </SimpleGrid>
          {tf.status === 'locked' ? (
            <LockoutAlert
              untilMs={tf.lockedUntil ? Date.parse(tf.lockedUntil) : null}
              needsAdmin={tf.needsAdminUnlock}
            />
          ) : null}
          <Group gap="sm">
            <Button
              color="red"
              variant="outline"
              disabled={!tf.enrolled}
              onClick={() => setDialog('reset')}
            >
              Reset two-factor authentication
            </Button>
            <Button
              variant="default"
              disabled={tf.status !== 'locked'}
              onClick={() => setDialog('unlock')}
            >
              Unlock
            </Button>
          </Group>
          <Text size="sm">
            Reset when someone lost their phone and their backup codes: their secret and codes are
            removed and they set up two-factor authentication again at their next sign-in. Unlock
            only lifts a lockout after too many wrong codes.
          </Text>
        </Stack>
      </Card>

      <Card withBorder padding="lg">
        <Stack gap="md">
          <Title order={2} size="h3">
            Account
          </Title>
          <Group align="flex-end" gap="sm">
            <Select
              label="Role"
              data={roles.map((value) => ({ value, label: roleLabels[value] }))}
              value={newRole ?? u.role}
              onChange={(value) => setNewRole(value as Role)}
              allowDeselect={false}
              w={240}
            />
            <Button
              variant="default"
              disabled={!newRole || newRole === u.role}
              onClick={() => setDialog('role')}
            >
              Change role
            </Button>
            <Button
              color="red"
              variant="subtle"
              disabled={isSelf || u.accountStatus === 'deactivated'}
              onClick={() => setDialog('deactivate')}
            >
              Deactivate account
            </Button>
          </Group>
        </Stack>
      </Card>

      <Card withBorder padding="lg">
        <Stack gap="sm">
          <Title order={2} size="h3">
            Recent two-factor events
          </Title>
          <ErrorAlert error={events.error} title="Events could not be loaded" />
          {events.data && events.data.events.length === 0 ? <Text>No events yet.</Text> : null}
          {events.data && events.data.events.length > 0 ? (
            <Table striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>When</Table.Th>
                  <Table.Th>Event</Table.Th>
                  <Table.Th>Method</Table.Th>
                  <Table.Th>IP address</Table.Th>
                  <Table.Th>Details</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {events.data.events.map((event) => (
                  <Table.Tr key={event.id}>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>
                      {formatDateTime(event.timestamp)}
                    </Table.Td>
                    <Table.Td ff="monospace" fz="xs">
                      {shortEventType(event.type)}
                    </Table.Td>
                    <Table.Td>{event.method ? methodLabels[event.method] : '—'}</Table.Td>
                    <Table.Td ff="monospace" fz="xs">
                      {event.ip ?? '—'}
                    </Table.Td>
                    <Table.Td fz="xs">
                      <VisibleText>{detailsSummary(event)}</VisibleText>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          ) : null}
        </Stack>
      </Card>

      <ConfirmActionModal
        opened={dialog === 'reset'}
        title={
          <>
            Reset two-factor authentication for <VisibleText>{u.name}</VisibleText>?
          </>
        }
        confirmLabel="Reset"
        danger
        call="users.resetTwoFactor"
        pending={reset.isPending}
        error={reset.error}
        onClose={close}
        onConfirm={(proof) =>
          reset.mutate(
            { userId: u.id, ...proof },
            {
              onSuccess: () => {
                close();
                setWasReset(true);
              },
            },
          )
        }
      >
        Their authenticator secret and all backup codes are deleted, their lockouts cleared and
        their sessions ended. They set up two-factor authentication again at their next sign-in.
      </ConfirmActionModal>
      <ConfirmActionModal
        opened={dialog === 'unlock'}
        title={
          <>
            Unlock <VisibleText>{u.name}</VisibleText>?
          </>
        }
        confirmLabel="Unlock"
        call="users.unlock"
        pending={unlock.isPending}
        error={unlock.error}
        onClose={close}
        onConfirm={(proof) =>
          unlock.mutate(
            { userId: u.id, ...proof },
            {
              onSuccess: () => (
                close(),
                notifications.show({
                  color: 'green',
                  title: 'Unlocked',
                  message: `${visibleText(u.email)} can try again.`,
                })
              ),
            },
          )
        }
      >
        Lifts the lockout after too many failed attempts. Their two-factor setup stays as it is.
      </ConfirmActionModal>
      <ConfirmActionModal
        opened={dialog === 'role'}
        title={
          <>
            Make <VisibleText>{u.name}</VisibleText> {newRole ? roleLabels[newRole] : ''}?
          </>
        }
        confirmLabel="Change role"
        call="users.setRole"
        pending={setRole.isPending}
        error={setRole.error}
        onClose={close}
        onConfirm={(proof) =>
          newRole &&
          setRole.mutate(
            { userId: u.id, role: newRole, ...proof },
            { onSuccess: () => (close(), setNewRole(null)) },
          )
        }
      >
        {newRole === 'member'
          ? 'They lose access to organization settings, users, audit and reports.'
          : 'Site Admins and Enterprise Admins manage organization settings, users, audit and reports.'}
      </ConfirmActionModal>
      <ConfirmActionModal
        opened={dialog === 'deactivate'}
        title={
          <>
            Deactivate <VisibleText>{u.name}</VisibleText>?
          </>
        }
        confirmLabel="Deactivate"
        call="users.deactivate"
        danger
        pending={deactivate.isPending}
        error={deactivate.error}
        onClose={close}
        onConfirm={(proof) => deactivate.mutate({ userId: u.id, ...proof }, { onSuccess: close })}
      >
        They are signed out everywhere and can no longer sign in. Their audit history stays.
      </ConfirmActionModal>
    </Stack>
  );
}
