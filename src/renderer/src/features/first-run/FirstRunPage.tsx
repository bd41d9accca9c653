import { Button, PasswordInput, Stack, TextInput } from '@mantine/core';
import { schemaResolver, useForm } from '@mantine/form';
import { useQuery } from '@tanstack/react-query';
import { Navigate, useNavigate } from 'react-router';
import { contract } from '../../../../shared/contract';
import { CenteredCard } from '../../components/CenteredCard';
import { ErrorAlert } from '../../components/ErrorAlert';
import { bootstrapQuery } from '../session/queries';
import { useCreateOrganization } from './queries';

/** First run: create the organization and its first Site Admin, then sign in. */
export function FirstRunPage() {
  const navigate = useNavigate();
  const bootstrap = useQuery(bootstrapQuery());
  const createOrg = useCreateOrganization();
  const form = useForm({
    mode: 'uncontrolled',
    initialValues: { orgName: '', adminName: '', adminEmail: '', password: '' },
    validate: schemaResolver(contract['org.create'].input, { sync: true }),
  });

  // Someone else (or org2fa init) already created it: first run is over.
  if (bootstrap.data?.orgExists && createOrg.isIdle) return <Navigate to="/sign-in" replace />;

  return (
    <CenteredCard
      title="Set up your organization"
      subtitle="Create the organization and its first Site Admin. You will sign in with this account next."
    >
      <form
        aria-label="Create organization"
        noValidate
        onSubmit={form.onSubmit((values) =>
          createOrg.mutate(values, {
            onSuccess: (result) =>
              navigate(`/sign-in?email=${encodeURIComponent(result.adminEmail)}`, {
                replace: true,
              }),
          }),
        )}
      >
        <Stack gap="md">
          <TextInput
            label="Organization name"
            required
            autoFocus
            {...form.getInputProps('orgName')}
            key={form.key('orgName')}
          />
          <TextInput
            label="Your name"
            required
            autoComplete="name"
            {...form.getInputProps('adminName')}
            key={form.key('adminName')}
          />
          <TextInput
            label="Your email"
            type="email"
            required
            autoComplete="email"
            {...form.getInputProps('adminEmail')}
            key={form.key('adminEmail')}
          />
          <PasswordInput
            label="Password"
            description="At least 12 characters."
            required
            autoComplete="new-password"
            {...form.getInputProps('password')}
            key={form.key('password')}
          />
          <ErrorAlert error={createOrg.error} title="Could not create the organization" />
          <Button type="submit" loading={createOrg.isPending} fullWidth>
            Create organization
          </Button>
        </Stack>
      </form>
    </CenteredCard>
  );
}
