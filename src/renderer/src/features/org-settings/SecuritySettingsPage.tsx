import {
  Alert,
  Anchor,
  Breadcrumbs,
  Button,
  Card,
  Group,
  List,
  Modal,
  Stack,
  Switch,
  Text,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { ErrorAlert } from '../../app/ErrorAlert';
import { orgSettingsQuery, useUpdateOrgSettings } from './queries';

interface Settings {
  enabled: boolean;
  required: boolean;
}

function SettingExplanation(props: { on: boolean; whenOn: string[]; whenOff: string[] }) {
  return (
    <List size="sm" spacing={2} pl={56}>
      {(props.on ? props.whenOn : props.whenOff).map((line) => (
        <List.Item key={line}>{line}</List.Item>
      ))}
    </List>
  );
}

/** Company Profile → Settings → Security: the org's Enable / Require switches, as the guide has them. */
export function SecuritySettingsPage() {
  const saved = useQuery(orgSettingsQuery());
  const update = useUpdateOrgSettings();
  const [draft, setDraft] = useState<Settings | null>(null);
  const [confirming, setConfirming] = useState(false);
  if (!saved.data) return null;
  const current = draft ?? saved.data;
  const changed =
    current.enabled !== saved.data.enabled || current.required !== saved.data.required;

  // The guide's coupling, shown before saving: require implies enabled; enable off turns require off.
  const setEnabled = (enabled: boolean) =>
    setDraft({ enabled, required: enabled && current.required });
  const setRequired = (required: boolean) =>
    setDraft({ enabled: required || current.enabled, required });

  const save = () =>
    update.mutate(current, {
      onSuccess: (settings) => {
        setDraft(null);
        setConfirming(false);
        notifications.show({
          color: 'green',
          title: 'Security settings saved',
          message: `Two-factor authentication is ${settings.required ? 'required' : settings.enabled ? 'available (optional)' : 'off'}. The change is in the audit trail.`,
        });
      },
    });

  return (
    <Stack gap="lg" maw={820}>
      <Breadcrumbs>
        <Text size="sm">Company Profile</Text>
        <Text size="sm">Settings</Text>
        <Text size="sm">Security</Text>
      </Breadcrumbs>
      <Title order={1}>Two-factor authentication</Title>
      <Card withBorder padding="lg">
        <Stack gap="xl">
          <Stack gap="xs">
            <Switch
              size="md"
              checked={current.enabled}
              onChange={(event) => setEnabled(event.currentTarget.checked)}
              label={<Text fw={600}>Enable two-factor authentication</Text>}
              description="Makes two-factor authentication available to everyone in your organization."
            />
            <SettingExplanation
              on={current.enabled}
              whenOn={[
                'Users can turn on two-factor authentication from their Account Settings.',
                'It is optional: users choose whether to use it.',
              ]}
              whenOff={[
                'No users can turn on or use two-factor authentication.',
                'Existing setups are kept but inactive; users are not asked for codes. They come back when you turn this on again.',
              ]}
            />
          </Stack>
          <Stack gap="xs">
            <Switch
              size="md"
              checked={current.required}
              onChange={(event) => setRequired(event.currentTarget.checked)}
              label={<Text fw={600}>Require two-factor authentication</Text>}
              description="Everyone must set up two-factor authentication to use the console."
            />
            <SettingExplanation
              on={current.required}
              whenOn={[
                'Users without two-factor authentication are sent to the setup page when they sign in.',
                'They cannot use anything else until it is set up (only setup, account settings and sign-out).',
                'Users cannot turn off their own two-factor authentication.',
              ]}
              whenOff={[
                'Two-factor authentication stays available but optional.',
                'Users can turn it on or off as they like.',
              ]}
            />
          </Stack>
          <ErrorAlert error={update.error} title="Settings not saved" />
          <Group>
            <Button
              disabled={!changed}
              loading={update.isPending && !confirming}
              onClick={() =>
                current.required && !saved.data.required ? setConfirming(true) : save()
              }
            >
              Save
            </Button>
            {changed ? (
              <Anchor component="button" type="button" size="sm" onClick={() => setDraft(null)}>
                Discard changes
              </Anchor>
            ) : null}
          </Group>
        </Stack>
      </Card>
      <Alert variant="light" color="gray" title="Rolling out a requirement?">
        Give people at least two weeks’ notice before requiring two-factor authentication. Your own
        account needs two-factor authentication before you can require it:{' '}
        <Anchor component={Link} to="/account">
          Account settings
        </Anchor>
        .
      </Alert>
      <Modal
        opened={confirming}
        onClose={() => setConfirming(false)}
        title="Require two-factor authentication?"
        centered
      >
        <Stack gap="md">
          <Text size="sm">
            Everyone without two-factor authentication will be sent to the setup page at their next
            sign-in, and anyone signed in now at their next action. They cannot use the console
            until they finish setup.
          </Text>
          <ErrorAlert error={update.error} title="Settings not saved" />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirming(false)}>
              Cancel
            </Button>
            <Button loading={update.isPending} onClick={save}>
              Require it
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}
