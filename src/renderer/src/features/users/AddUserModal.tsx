import {
  Alert,
  Button,
  Code,
  CopyButton,
  Group,
  Modal,
  PasswordInput,
  Select,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { MIN_PASSWORD_LENGTH, roles } from '../../../../shared/domain';
import { fieldErrorsOf, proofFieldNames } from '../../api/api-error';
import { ErrorAlert } from '../../components/ErrorAlert';
import { ProofField, proofInput } from '../../components/ProofField';
import { VisibleText } from '../../components/VisibleText';
import { useProofNeeded } from '../session/reauth';
import { useUserMutation } from './queries';
import { roleLabels } from './TwoFactorStatusBadge';

/** The inputs that show main's refusals beside them; anything else goes in the alert. */
const addUserFields = ['email', 'name', 'role', 'password', ...proofFieldNames];

/** Adds one user; without a password, shows the generated temporary one once. */
export function AddUserModal(props: { opened: boolean; onClose(): void }) {
  const add = useUserMutation('users.add');
  const proof = useProofNeeded('users.add', add.error);
  const [created, setCreated] = useState<{ email: string; temporaryPassword?: string } | null>(
    null,
  );
  const form = useForm({
    initialValues: { email: '', name: '', role: 'member', password: '', proof: '' },
    validate: {
      email: (v) => (/^[^@\s]+@[^@\s]+$/.test(v.trim()) ? null : 'Enter a valid email address'),
      name: (v) => (v.trim() ? null : 'Name is required'),
      password: (v) =>
        !v || v.length >= MIN_PASSWORD_LENGTH
          ? null
          : `At least ${MIN_PASSWORD_LENGTH} characters, or leave empty`,
      proof: (v) => (!proof.needed || v.trim() ? null : 'Confirm it is you'),
    },
  });
  const close = () => {
    form.reset();
    add.reset();
    setCreated(null);
    props.onClose();
  };

  return (
    <Modal opened={props.opened} onClose={close} title="Add a user" centered>
      {created ? (
        <Stack gap="md">
          <Alert
            color="green"
            variant="light"
            title={
              <>
                <VisibleText>{created.email}</VisibleText> was added
              </>
            }
          >
            {created.temporaryPassword
              ? 'Give them this temporary password by a safe channel, once. They should change it after signing in.'
              : 'They can sign in with the password you chose.'}
          </Alert>
          {created.temporaryPassword ? (
            <Group gap="sm">
              <Code fz="lg">{created.temporaryPassword}</Code>
              <CopyButton value={created.temporaryPassword}>
                {({ copied, copy }) => (
                  <Button size="xs" variant="default" onClick={copy}>
                    {copied ? 'Copied' : 'Copy'}
                  </Button>
                )}
              </CopyButton>
            </Group>
          ) : null}
          <Group justify="flex-end">
            <Button onClick={close}>Done</Button>
          </Group>
        </Stack>
      ) : (
        <form
          noValidate
          onSubmit={form.onSubmit((values) =>
            add.mutate(
              {
                email: values.email,
                name: values.name,
                role: values.role as (typeof roles)[number],
                ...(values.password ? { password: values.password } : {}),
                ...proofInput(proof.method, values.proof),
              },
              {
                onSuccess: (result) => {
                  setCreated(result);
                  void proof.refresh();
                },
                // What main refused is shown on its field (the proof's on the proof field).
                onError: (error) => form.setErrors(fieldErrorsOf(error)),
              },
            ),
          )}
        >
          <Stack gap="md">
            <TextInput
              label="Email"
              type="email"
              required
              data-autofocus
              {...form.getInputProps('email')}
            />
            <TextInput label="Name" required {...form.getInputProps('name')} />
            <Select
              label="Role"
              data={roles.map((value) => ({ value, label: roleLabels[value] }))}
              allowDeselect={false}
              {...form.getInputProps('role')}
            />
            <PasswordInput
              label="Password"
              description="Leave empty to generate a temporary password."
              autoComplete="new-password"
              {...form.getInputProps('password')}
            />
            {proof.needed ? (
              <ProofField
                method={proof.method}
                value={form.values.proof}
                error={(form.errors.proof as string | undefined) ?? proof.fieldError}
                onChange={(value) => form.setFieldValue('proof', value)}
              />
            ) : null}
            <ErrorAlert error={add.error} title="User not added" fields={addUserFields} />
            <Text size="xs">The addition is recorded in the audit trail with your name.</Text>
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                Cancel
              </Button>
              <Button type="submit" loading={add.isPending || !proof.known}>
                Add user
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
