import { Button, PasswordInput, Stack, TextInput } from '@mantine/core';
import { schemaResolver, useForm } from '@mantine/form';
import { useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { contract } from '../../../../shared/contract';
import { CenteredCard } from '../../components/CenteredCard';
import { ErrorAlert } from '../../components/ErrorAlert';
import { VisibleText } from '../../components/VisibleText';
import { bootstrapQuery } from '../session/queries';
import { useSignIn } from './queries';

export function SignInPage() {
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const bootstrap = useQuery(bootstrapQuery());
  const signIn = useSignIn();
  const form = useForm({
    mode: 'uncontrolled',
    initialValues: { email: params.get('email') ?? '', password: '' },
    validate: schemaResolver(contract['auth.signIn'].input, { sync: true }),
  });
  // Arriving from first run (possibly after this page already mounted): prefill the new admin.
  const suggestedEmail = params.get('email');
  useEffect(() => {
    if (suggestedEmail) form.setFieldValue('email', suggestedEmail);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- form is stable; run only when the suggestion changes
  }, [suggestedEmail]);

  if (bootstrap.data && !bootstrap.data.orgExists) return <Navigate to="/first-run" replace />;

  return (
    <CenteredCard
      title="Sign in"
      subtitle={
        bootstrap.data?.orgName ? (
          <>
            to <VisibleText>{bootstrap.data.orgName}</VisibleText>
          </>
        ) : undefined
      }
    >
      <form
        aria-label="Sign in"
        noValidate
        onSubmit={form.onSubmit((values) =>
          signIn.mutate(values, { onSuccess: () => navigate('/', { replace: true }) }),
        )}
      >
        <Stack gap="md">
          <TextInput
            label="Email"
            type="email"
            required
            autoComplete="username"
            autoFocus={!params.get('email')}
            {...form.getInputProps('email')}
            key={form.key('email')}
          />
          <PasswordInput
            label="Password"
            required
            autoComplete="current-password"
            autoFocus={Boolean(params.get('email'))}
            {...form.getInputProps('password')}
            key={form.key('password')}
          />
          <ErrorAlert error={signIn.error} title="Sign-in failed" />
          <Button type="submit" loading={signIn.isPending} fullWidth>
            Sign in
          </Button>
        </Stack>
      </form>
    </CenteredCard>
  );
}
