import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useForm } from '@mantine/form';
import type { ReactNode } from 'react';
import { ErrorAlert } from '../../components/ErrorAlert';
import { CodeField } from '../../components/CodeField';

/** Asks for a current code before a sensitive change (re-authentication). */
export function CodeConfirmModal(props: {
  opened: boolean;
  title: string;
  explanation: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  pending: boolean;
  error: unknown;
  onConfirm(code: string): void;
  onClose(): void;
}) {
  const form = useForm({
    initialValues: { code: '' },
    validate: { code: (value) => (value.trim() ? null : 'Enter a code') },
  });
  const close = () => {
    form.reset();
    props.onClose();
  };
  return (
    <Modal opened={props.opened} onClose={close} title={props.title} centered>
      <form noValidate onSubmit={form.onSubmit(({ code }) => props.onConfirm(code))}>
        <Stack gap="md">
          <Text size="sm">{props.explanation}</Text>
          <CodeField data-autofocus {...form.getInputProps('code')} />
          <ErrorAlert error={props.error} title="Not done" />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" color={props.danger ? 'red' : undefined} loading={props.pending}>
              {props.confirmLabel}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
