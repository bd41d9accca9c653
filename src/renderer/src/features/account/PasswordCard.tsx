import { Button, Card, PasswordInput, Stack, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useQuery } from '@tanstack/react-query';
import { MIN_PASSWORD_LENGTH } from '../../../../shared/domain';
import { fieldErrorsOf } from '../../api/api-error';
import { ErrorAlert } from '../../components/ErrorAlert';
import { CodeField } from '../../components/CodeField';
import { twoFactorStatusQuery } from '../two-factor/queries';
import { useChangePassword } from './queries';

export function PasswordCard() {
  const status = useQuery(twoFactorStatusQuery());
  const change = useChangePassword();
  const needsCode = Boolean(status.data?.active);
  const form = useForm({
    initialValues: { currentPassword: '', newPassword: '', confirmPassword: '', code: '' },
    validate: {
      currentPassword: (v) => (v ? null : 'Enter your current password'),
      newPassword: (v) =>
        v.length >= MIN_PASSWORD_LENGTH ? null : `At least ${MIN_PASSWORD_LENGTH} characters`,
      confirmPassword: (v, values) =>
        v === values.newPassword ? null : 'The passwords do not match',
      code: (v) => (!needsCode || v.trim() ? null : 'Enter a code from your authenticator app'),
    },
  });
  return (
    <Card withBorder padding="lg">
      <form
        aria-label="Change password"
        noValidate
        onSubmit={form.onSubmit((values) =>
          change.mutate(
            {
              currentPassword: values.currentPassword,
              newPassword: values.newPassword,
              ...(needsCode ? { code: values.code } : {}),
            },
            {
              onSuccess: () => {
                form.reset();
                notifications.show({
                  color: 'green',
                  title: 'Password changed',
                  message: 'Other sessions of your account were signed out.',
                });
              },
              // A wrong current password (or a refused new one) is shown on its field.
              onError: (error) => form.setErrors(fieldErrorsOf(error)),
            },
          ),
        )}
      >
        <Stack gap="md" maw={420}>
          <Title order={2} size="h3">
            Password
          </Title>
          <PasswordInput
            label="Current password"
            autoComplete="current-password"
            {...form.getInputProps('currentPassword')}
          />
          <PasswordInput
            label="New password"
            description={`At least ${MIN_PASSWORD_LENGTH} characters.`}
            autoComplete="new-password"
            {...form.getInputProps('newPassword')}
          />
          <PasswordInput
            label="Repeat new password"
            autoComplete="new-password"
            {...form.getInputProps('confirmPassword')}
          />
          {needsCode ? <CodeField {...form.getInputProps('code')} /> : null}
          <ErrorAlert
            error={change.error}
            title="Password not changed"
            fields={['currentPassword', 'newPassword', 'code']}
          />
          <Button type="submit" loading={change.isPending} w="fit-content">
            Change password
          </Button>
        </Stack>
      </form>
    </Card>
  );
}
