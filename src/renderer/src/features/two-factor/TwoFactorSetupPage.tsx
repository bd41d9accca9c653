import {
  Alert,
  Anchor,
  Button,
  Code,
  CopyButton,
  Group,
  Image,
  List,
  Paper,
  Stack,
  Stepper,
  Text,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconCheck, IconCopy, IconInfoCircle } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Navigate, useNavigate } from 'react-router';
import { SETUP_REQUIRED_MESSAGE } from '../../../../shared/errors';
import type { SessionUser } from '../../../../shared/domain';
import { visibleText } from '../../../../shared/text-safety';
import { isApiError } from '../../api/api-error';
import { ErrorAlert } from '../../components/ErrorAlert';
import { BackupCodesPanel } from '../../components/BackupCodesPanel';
import { CodeField } from '../../components/CodeField';
import { LockoutAlert } from '../../components/LockoutAlert';
import { VisibleText } from '../../components/VisibleText';
import { bootstrapQuery, sessionQuery } from '../session/queries';
import { twoFactorStatusQuery, useBeginSetup, useConfirmSetup } from './queries';

export const SUPPORTED_APPS = [
  'Google Authenticator',
  'Microsoft Authenticator',
  'Authy',
  '1Password',
  'Bitwarden',
];

/** `JBSWY3DP…` → `JBSW Y3DP …`: easier to type by hand. */
function groupKey(key: string): string {
  return key.replace(/(.{4})(?=.)/g, '$1 ');
}

/** Enrollment: app, QR code or manual key, one code to confirm, then the backup codes once. */
export function TwoFactorSetupPage() {
  const navigate = useNavigate();
  const session = useQuery(sessionQuery());
  const bootstrap = useQuery(bootstrapQuery());
  const status = useQuery(twoFactorStatusQuery());
  const begin = useBeginSetup();
  const confirm = useConfirmSetup();
  const [lockedUntil, setLockedUntil] = useState<number | null>(null);
  const form = useForm({
    initialValues: { code: '' },
    validate: {
      code: (value) =>
        /^\d{6}$/.test(value.replace(/\s/g, '')) ? null : 'Enter the 6 digits your app shows',
    },
  });

  const user: SessionUser | undefined = session.data?.user;
  const setupRequired = session.data?.state === 'setup_required';
  // The codes live in the mutation's result: shown once, gone when the page is left.
  const backupCodes = confirm.data?.backupCodes ?? null;
  if (!user || !status.data) return null;
  // Already on, and not in the middle of confirming or showing fresh codes: nothing to set up.
  if (status.data.enrolled && !backupCodes && !confirm.isPending)
    return <Navigate to="/account" replace />;

  const step = backupCodes ? 2 : begin.data ? 1 : 0;
  const orgName = bootstrap.data?.orgName ?? '';

  return (
    <Stack gap="lg" maw={760}>
      <Title order={1}>Set up two-factor authentication</Title>
      {setupRequired ? (
        <Alert
          color="yellow"
          variant="light"
          icon={<IconInfoCircle />}
          title="Two-factor authentication required"
        >
          {SETUP_REQUIRED_MESSAGE}
        </Alert>
      ) : null}
      {!status.data.orgEnabled ? (
        <Alert color="gray" variant="light" title="Two-factor authentication is off">
          Your organization has not turned on two-factor authentication. An administrator can turn
          it on in Settings → Security.
        </Alert>
      ) : (
        <Stepper active={step} orientation="vertical" allowNextStepsSelect={false}>
          <Stepper.Step label="Install an authenticator app" description="On your phone">
            <Stack gap="sm" mt="xs">
              <Text>Any app that supports time-based codes (TOTP) works, for example:</Text>
              <List>
                {SUPPORTED_APPS.map((app) => (
                  <List.Item key={app}>{app}</List.Item>
                ))}
              </List>
              <ErrorAlert error={begin.error} title="Could not start setup" />
              <Button w="fit-content" loading={begin.isPending} onClick={() => begin.mutate()}>
                I have an app: show the QR code
              </Button>
            </Stack>
          </Stepper.Step>
          <Stepper.Step label="Scan the QR code" description="Or type the key">
            {begin.data ? (
              <Stack gap="md" mt="xs">
                <Group align="flex-start" gap="xl" wrap="wrap">
                  <Paper withBorder p="xs" bg="white">
                    <Image
                      src={begin.data.qrPngDataUrl}
                      w={220}
                      h={220}
                      alt={`QR code to add ${visibleText(user.email)} (${visibleText(orgName)}) to your authenticator app`}
                    />
                  </Paper>
                  <Stack gap="xs" maw={380}>
                    <Text fw={600}>Can’t scan it? Enter this key manually:</Text>
                    <Group gap="xs" wrap="nowrap">
                      <Code fz="md" data-testid="manual-key" style={{ wordBreak: 'break-all' }}>
                        {groupKey(begin.data.secret)}
                      </Code>
                      <CopyButton value={begin.data.secret}>
                        {({ copied, copy }) => (
                          <Button
                            size="xs"
                            variant="default"
                            onClick={copy}
                            leftSection={copied ? <IconCheck size={14} /> : <IconCopy size={14} />}
                          >
                            {copied ? 'Copied' : 'Copy key'}
                          </Button>
                        )}
                      </CopyButton>
                    </Group>
                    <Text size="sm">
                      Account: <VisibleText>{user.email}</VisibleText> · Issuer:{' '}
                      <VisibleText>{orgName}</VisibleText> · Time-based, 6 digits, every 30 s
                    </Text>
                  </Stack>
                </Group>
                <form
                  aria-label="Confirm setup"
                  noValidate
                  onSubmit={form.onSubmit(({ code }) =>
                    confirm.mutate(code.replace(/\s/g, ''), {
                      onError: (error) => {
                        if (isApiError(error, 'LOCKED_OUT') && error.retryAfterSeconds) {
                          setLockedUntil(Date.now() + error.retryAfterSeconds * 1000);
                        }
                      },
                    }),
                  )}
                >
                  <Stack gap="sm" maw={360}>
                    <CodeField
                      allowBackupCode={false}
                      label="Code from your app"
                      {...form.getInputProps('code')}
                    />
                    {isApiError(confirm.error, 'LOCKED_OUT') ? (
                      <LockoutAlert
                        untilMs={lockedUntil}
                        needsAdmin={confirm.error.retryAfterSeconds === undefined}
                      />
                    ) : (
                      <ErrorAlert error={confirm.error} title="Code not accepted" />
                    )}
                    <Group>
                      <Button type="submit" loading={confirm.isPending}>
                        Turn on two-factor authentication
                      </Button>
                      <Anchor
                        component="button"
                        type="button"
                        size="sm"
                        onClick={() => begin.mutate()}
                      >
                        Start over with a new key
                      </Anchor>
                    </Group>
                  </Stack>
                </form>
              </Stack>
            ) : null}
          </Stepper.Step>
          <Stepper.Step label="Save your backup codes" description="Shown once">
            {backupCodes ? (
              <BackupCodesPanel
                codes={backupCodes}
                account={user.email}
                orgName={orgName}
                doneLabel="Continue to the console"
                onDone={() => {
                  notifications.show({
                    color: 'green',
                    title: 'Two-factor authentication is on',
                    message: 'You will be asked for a code at each sign-in.',
                  });
                  navigate('/', { replace: true });
                }}
              />
            ) : null}
          </Stepper.Step>
        </Stepper>
      )}
    </Stack>
  );
}
