import {
  Alert,
  Button,
  Card,
  Code,
  CopyButton,
  Group,
  Paper,
  Select,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useDebouncedValue, useLocalStorage } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconCopy, IconDownload, IconEdit } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import {
  placeholderDescriptions,
  type MessageTemplate,
  type TemplatePlaceholder,
} from '../../../../shared/rollout';
import { ErrorAlert } from '../../components/ErrorAlert';
import { VisibleText } from '../../components/VisibleText';
import { downloadText } from '../../lib/download';
import { renderMessageQuery, templatesQuery, useExportMessage } from './queries';
import { TemplateEditorModal } from './TemplateEditorModal';

function describe(name: string) {
  const known = placeholderDescriptions[name as TemplatePlaceholder];
  return known ? `{{${name}}} (${known})` : `{{${name}}} (not a known placeholder)`;
}

/**
 * The guide's communication template, filled for sending: preview, copy, .eml and .txt. A message
 * with an unfilled placeholder is not copied or exported; the placeholder is named instead.
 */
export function MessageCard() {
  const templates = useQuery(templatesQuery());
  const [templateId, setTemplateId] = useState('announcement');
  const [guideLink, setGuideLink] = useLocalStorage({
    key: 'org2fa.rollout.guideLink',
    defaultValue: '',
  });
  const [supportContact, setSupportContact] = useLocalStorage({
    key: 'org2fa.rollout.supportContact',
    defaultValue: '',
  });
  const [editing, setEditing] = useState<MessageTemplate | null>(null);
  const [refusal, setRefusal] = useState<string | null>(null);
  // Typing re-renders the preview a quarter second after the last key, not on every key.
  const [link] = useDebouncedValue(guideLink, 250);
  const [contact] = useDebouncedValue(supportContact, 250);
  const rendered = useQuery(
    renderMessageQuery({ templateId, guideLink: link, supportContact: contact }),
  );
  const message = rendered.data;
  const list = templates.data?.templates ?? [];
  const selected = list.find((t) => t.id === templateId) ?? null;
  const refuse = (what: string, missing: string[]) =>
    setRefusal(`${what} refused: fill in ${missing.map(describe).join(', ')} first.`);

  const exportMessage = useExportMessage();
  const download = async (format: 'eml' | 'txt') => {
    setRefusal(null);
    try {
      const file = await exportMessage.mutateAsync({
        templateId,
        guideLink,
        supportContact,
        format,
      });
      downloadText(
        file.fileName,
        file.content,
        format === 'eml' ? 'message/rfc822' : 'text/plain;charset=utf-8',
      );
    } catch (error) {
      setRefusal(error instanceof Error ? error.message : String(error));
    }
  };

  return (
    <Card withBorder padding="lg">
      <Stack gap="md">
        <Group justify="space-between" align="flex-end">
          <Stack gap={0}>
            <Title order={2} size="h4">
              Message to users
            </Title>
            <Text size="sm">
              The guide&apos;s announcement, or the reminder for users not yet enrolled, filled in
              from the rollout.
            </Text>
          </Stack>
          <Button
            variant="default"
            leftSection={<IconEdit size={16} />}
            disabled={!selected}
            onClick={() => setEditing(selected)}
          >
            Edit template
          </Button>
        </Group>
        <Group grow align="flex-start">
          <Select
            label="Template"
            data={list.map((t) => ({ value: t.id, label: t.name }))}
            value={templateId}
            onChange={(value) => {
              if (value) setTemplateId(value);
              setRefusal(null);
            }}
            allowDeselect={false}
          />
          <TextInput
            label="Setup guide link"
            placeholder="https://intranet.example/2fa-guide"
            value={guideLink}
            onChange={(event) => {
              setGuideLink(event.currentTarget.value);
              setRefusal(null);
            }}
          />
          <TextInput
            label="Support contact"
            placeholder="the IT help desk, help@example.com"
            value={supportContact}
            onChange={(event) => {
              setSupportContact(event.currentTarget.value);
              setRefusal(null);
            }}
          />
        </Group>
        <ErrorAlert error={rendered.error ?? templates.error} title="Preview unavailable" />
        {message && message.missing.length > 0 ? (
          <Alert color="orange" title="Not ready to send">
            Still to fill in: {message.missing.map(describe).join(', ')}.
            {message.missing.includes('date')
              ? ' The date comes from the announcement (Phase 2).'
              : ''}
          </Alert>
        ) : null}
        {message ? (
          <Paper withBorder p="md" radius="md" aria-label="Message preview">
            <Stack gap="xs">
              <Text size="sm">
                <Text span fw={700}>
                  Subject:
                </Text>{' '}
                <VisibleText>{message.subject}</VisibleText>
              </Text>
              <Code block style={{ whiteSpace: 'pre-wrap', fontSize: 13 }}>
                <VisibleText multiline>{message.body}</VisibleText>
              </Code>
            </Stack>
          </Paper>
        ) : null}
        {refusal ? (
          <Alert
            color="red"
            title="Not ready to send"
            withCloseButton
            onClose={() => setRefusal(null)}
          >
            {refusal}
          </Alert>
        ) : null}
        <Group>
          <CopyButton value={message ? `Subject: ${message.subject}\n\n${message.body}` : ''}>
            {({ copied, copy }) => (
              <Button
                leftSection={<IconCopy size={16} />}
                disabled={!message}
                onClick={() => {
                  if (!message) return;
                  if (message.missing.length > 0) return refuse('Copying', message.missing);
                  setRefusal(null);
                  copy();
                  notifications.show({ color: 'green', message: 'Message copied' });
                }}
              >
                {copied ? 'Copied' : 'Copy message'}
              </Button>
            )}
          </CopyButton>
          <Button
            variant="default"
            leftSection={<IconDownload size={16} />}
            onClick={() => void download('eml')}
          >
            Download .eml
          </Button>
          <Button
            variant="default"
            leftSection={<IconDownload size={16} />}
            onClick={() => void download('txt')}
          >
            Download .txt
          </Button>
        </Group>
      </Stack>
      {editing ? (
        <TemplateEditorModal
          template={editing}
          onClose={() => setEditing(null)}
          onSaved={(id) => setTemplateId(id)}
        />
      ) : null}
    </Card>
  );
}
