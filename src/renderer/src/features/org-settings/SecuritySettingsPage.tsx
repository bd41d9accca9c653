import {
  Alert,
  Anchor,
  Breadcrumbs,
  Button,
  Card,
  Group,
  List,
  Radio,
  Stack,
  Switch,
  Text,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import type { RequiredFor } from '../../../../shared/domain';
import { detailsOf } from '../../api/api-error';
import { ErrorAlert } from '../../components/ErrorAlert';
import { ConfirmActionModal, type Proof } from '../../components/ConfirmActionModal';
import { VisibleText } from '../../components/VisibleText';
import { useProofNeeded } from '../session/reauth';
import { orgSettingsQuery, previewRequirementQuery, useUpdateOrgSettings } from './queries';

interface Settings {
  enabled: boolean;
  required: boolean;
  requiredFor: RequiredFor;
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

/** Who a requirement would send to setup: the count, and the first names. */
function RedirectPreview(props: { requiredFor: RequiredFor }) {
  const preview = useQuery(previewRequirementQuery(props.requiredFor));
  if (preview.error)
    return <ErrorAlert error={preview.error} title="Could not list the users affected" />;
  if (!preview.data) return <Text size="sm">Counting the users affected…</Text>;
  const users = preview.data.users;
  if (users.length === 0) {
    return (
      <Text size="sm">
        Everyone it applies to already has two-factor authentication: nobody is redirected.
      </Text>
    );
  }
  return (
    <Stack gap={4}>
      <Text size="sm" fw={700}>
        {users.length === 1 ? '1 user' : `${users.length} users`} will be sent to the setup page at
        their next sign-in:
      </Text>
      <List size="sm" spacing={0} aria-label="Users who will be redirected to setup">
        {users.slice(0, 12).map((u) => (
          <List.Item key={u.id}>
            <VisibleText>{u.name}</VisibleText> (<VisibleText>{u.email}</VisibleText>)
          </List.Item>
        ))}
      </List>
      {users.length > 12 ? (
        <Text size="sm">
          …and {users.length - 12} more (see Users, filtered by “Not enrolled”).
        </Text>
      ) : null}
    </Stack>
  );
}

/** Company Profile → Settings → Security: the org's Enable / Require switches, as the guide has them. */
export function SecuritySettingsPage() {
  const saved = useQuery(orgSettingsQuery());
  const update = useUpdateOrgSettings();
  const proof = useProofNeeded('org.updateSettings', update.error);
  const [draft, setDraft] = useState<Settings | null>(null);
  const [confirming, setConfirming] = useState(false);
  if (!saved.data) return <ErrorAlert error={saved.error} title="Settings could not be loaded" />;
  const current = draft ?? saved.data;
  const changed = (['enabled', 'required', 'requiredFor'] as const).some(
    (key) => current[key] !== saved.data[key],
  );
  const requirementGrows =
    current.required &&
    (!saved.data.required ||
      (saved.data.requiredFor === 'admins' && current.requiredFor === 'everyone'));

  // The guide's coupling, shown before saving: require implies enabled; enable off turns require off.
  const setEnabled = (enabled: boolean) =>
    setDraft({ ...current, enabled, required: enabled && current.required });
  const setRequired = (required: boolean) =>
    setDraft({ ...current, enabled: required || current.enabled, required });

  const save = (proofInput: Proof) =>
    update.mutate(
      { ...current, ...proofInput },
      {
        onSuccess: (settings) => {
          setDraft(null);
          setConfirming(false);
          void proof.refresh();
          notifications.show({
            color: 'green',
            title: 'Security settings saved',
            message: `Two-factor authentication is ${
              settings.required
                ? settings.requiredFor === 'admins'
                  ? 'required for admins'
                  : 'required for everyone'
                : settings.enabled
                  ? 'available (optional)'
                  : 'off'
            }. The change is in the audit trail.`,
          });
        },
        // The proof window closed meanwhile: ask for one in the confirmation, not in an alert.
        onError: (error) => {
          if (detailsOf(error, 'proof_needed')) setConfirming(true);
        },
      },
    );

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
              description="Those it applies to must set up two-factor authentication to use the console."
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
            {current.required ? (
              <Radio.Group
                pl={56}
                label="Required for"
                value={current.requiredFor}
                onChange={(value) => setDraft({ ...current, requiredFor: value as RequiredFor })}
              >
                <Group mt={4}>
                  <Radio value="everyone" label="Everyone" />
                  <Radio value="admins" label="Admins only (Site Admins and Enterprise Admins)" />
                </Group>
              </Radio.Group>
            ) : null}
          </Stack>
          <ErrorAlert error={confirming ? null : update.error} title="Settings not saved" />
          <Group>
            <Button
              disabled={!changed}
              loading={(update.isPending && !confirming) || !proof.known}
              onClick={() => (requirementGrows || proof.needed ? setConfirming(true) : save({}))}
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
      <ConfirmActionModal
        opened={confirming}
        title={requirementGrows ? 'Require two-factor authentication?' : 'Save security settings?'}
        call="org.updateSettings"
        confirmLabel={requirementGrows ? 'Require it' : 'Save'}
        pending={update.isPending}
        error={update.error}
        onClose={() => {
          update.reset();
          setConfirming(false);
        }}
        onConfirm={save}
      >
        {requirementGrows ? (
          <Stack gap="xs">
            <Text size="sm">
              Anyone signed in now without two-factor authentication is sent to setup at their next
              action. They cannot use the console until they finish.
            </Text>
            <RedirectPreview requiredFor={current.requiredFor} />
          </Stack>
        ) : (
          'The change is recorded in the audit trail with your name.'
        )}
      </ConfirmActionModal>
    </Stack>
  );
}
