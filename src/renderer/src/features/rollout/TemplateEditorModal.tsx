import { Button, Code, Group, List, Modal, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import type { MessageTemplate } from '../../../../shared/rollout';
import { placeholderDescriptions, templatePlaceholders } from '../../../../shared/rollout';
import { fieldErrorsOf } from '../../api/api-error';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useResetTemplate, useSaveTemplate } from './queries';

/** Edits a template (or saves a copy as a new one); the defaults can go back to the guide's text. */
export function TemplateEditorModal(props: {
  template: MessageTemplate | null;
  onClose(): void;
  onSaved(id: string): void;
}) {
  const save = useSaveTemplate();
  const reset = useResetTemplate();
  const template = props.template;
  const form = useForm({
    mode: 'controlled',
    initialValues: {
      name: template?.name ?? '',
      subject: template?.subject ?? '',
      body: template?.body ?? '',
    },
    validate: {
      name: (v) => (v.trim() ? null : 'Name the template'),
      subject: (v) =>
        !v.trim() ? 'Write a subject' : /[\r\n]/.test(v) ? 'The subject is one line' : null,
      body: (v) => (v.trim() ? null : 'Write the message'),
    },
  });
  const close = () => {
    save.reset();
    reset.reset();
    props.onClose();
  };
  const submit = (asNew: boolean) =>
    form.onSubmit((values) =>
      save.mutate(
        {
          ...(asNew || !template ? { kind: template?.kind } : { id: template.id }),
          ...values,
          ...(asNew ? { name: `${values.name} (copy)` } : {}),
        },
        {
          onSuccess: (saved) => {
            notifications.show({
              color: 'green',
              title: 'Template saved',
              message: `“${saved.name}” is saved. The change is in the audit trail.`,
            });
            props.onSaved(saved.id);
            close();
          },
          onError: (error) => form.setErrors(fieldErrorsOf(error)),
        },
      ),
    );
  return (
    <Modal opened={template !== null} onClose={close} title="Edit message template" size="xl">
      <form noValidate onSubmit={submit(false)}>
        <Stack gap="sm">
          <TextInput label="Template name" {...form.getInputProps('name')} />
          <TextInput label="Subject" {...form.getInputProps('subject')} />
          <Textarea
            label="Message"
            autosize
            minRows={10}
            maxRows={24}
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
            {...form.getInputProps('body')}
          />
          <Stack gap={2}>
            <Text size="sm" fw={600}>
              Placeholders (the guide&apos;s [DATE], [link to two-factor-authentication guide] and
              [support contact] work too):
            </Text>
            <List size="sm" spacing={0}>
              {templatePlaceholders.map((name) => (
                <List.Item key={name}>
                  <Code>{`{{${name}}}`}</Code> {placeholderDescriptions[name]}
                </List.Item>
              ))}
            </List>
          </Stack>
          <ErrorAlert
            error={save.error ?? reset.error}
            title="Not saved"
            fields={['name', 'subject', 'body']}
          />
          <Group justify="space-between">
            <Group>
              {template?.builtIn && template.updatedAt ? (
                <Button
                  variant="subtle"
                  loading={reset.isPending}
                  onClick={() =>
                    reset.mutate(
                      { id: template.id },
                      {
                        onSuccess: (original) => {
                          notifications.show({
                            color: 'green',
                            title: 'Template reset',
                            message: `“${original.name}” is back to its original text.`,
                          });
                          close();
                        },
                      },
                    )
                  }
                >
                  Reset to the original
                </Button>
              ) : null}
            </Group>
            <Group>
              <Button variant="default" onClick={close}>
                Cancel
              </Button>
              <Button variant="default" onClick={() => submit(true)()}>
                Save as new template
              </Button>
              <Button type="submit" loading={save.isPending}>
                Save
              </Button>
            </Group>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
