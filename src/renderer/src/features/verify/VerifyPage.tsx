import { Anchor, Button, Stack, Switch, Text } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { isApiError } from '../../api/api-error';
import { CenteredCard } from '../../components/CenteredCard';
import { ErrorAlert } from '../../components/ErrorAlert';
import { CodeField } from '../../components/CodeField';
import { LockoutAlert } from '../../components/LockoutAlert';
import { VisibleText } from '../../components/VisibleText';
import { useSignOut } from '../session/queries';
import { useVerifySecondFactor } from './queries';

/** Second step of sign-in: the authenticator code, or a backup code in the same field. */
export function VerifyPage(props: { email: string }) {
  const navigate = useNavigate();
  const verify = useVerifySecondFactor();
  const signOut = useSignOut();
  const [useBackupCode, setUseBackupCode] = useState(false);
  const [lockedUntil, setLockedUntil] = useState<number | null>(null);
  const form = useForm({
    initialValues: { code: '' },
    validate: { code: (value) => (value.trim() ? null : 'Enter a code') },
  });

  const error = verify.error;
  const locked = isApiError(error, 'LOCKED_OUT');
  const needsAdmin = locked && error.retryAfterSeconds === undefined;

  return (
    <CenteredCard
      title="Two-factor authentication"
      subtitle={
        <>
          Signing in as <VisibleText>{props.email}</VisibleText>
        </>
      }
    >
      <form
        aria-label="Verify your identity"
        noValidate
        onSubmit={form.onSubmit(({ code }) =>
          verify.mutate(code, {
            onError: (e) => {
              if (isApiError(e, 'LOCKED_OUT') && e.retryAfterSeconds) {
                setLockedUntil(Date.now() + e.retryAfterSeconds * 1000);
              }
              form.setFieldValue('code', '');
            },
          }),
        )}
      >
        <Stack gap="md">
          <Text size="sm">
            {useBackupCode
              ? 'Enter one of the backup codes you saved when you set up two-factor authentication. Each works once.'
              : 'Open your authenticator app and enter the 6-digit code it shows for this account.'}
          </Text>
          <CodeField
            key={useBackupCode ? 'backup' : 'totp'}
            label={useBackupCode ? 'Backup code' : '6-digit code'}
            description={undefined}
            placeholder={useBackupCode ? 'XXXX-XXXX-XXXX-XXXX' : '123456'}
            inputMode={useBackupCode ? 'text' : 'numeric'}
            autoFocus
            {...form.getInputProps('code')}
          />
          <Switch
            label="Use a backup code instead"
            checked={useBackupCode}
            onChange={(event) => setUseBackupCode(event.currentTarget.checked)}
          />
          {locked ? (
            <LockoutAlert untilMs={lockedUntil} needsAdmin={needsAdmin} />
          ) : (
            <ErrorAlert error={error} title="Code not accepted" />
          )}
          <Button type="submit" loading={verify.isPending} disabled={needsAdmin} fullWidth>
            Verify
          </Button>
          <Text size="sm">
            Lost your phone and your backup codes? Ask an administrator to reset your two-factor
            authentication.
          </Text>
          <Anchor
            component="button"
            type="button"
            size="sm"
            onClick={() =>
              signOut.mutate(undefined, {
                onSuccess: () => navigate('/sign-in', { replace: true }),
              })
            }
          >
            Cancel and sign out
          </Anchor>
        </Stack>
      </form>
    </CenteredCard>
  );
}
