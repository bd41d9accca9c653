import { Button, Code, Drawer, Stack, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { AuditEvent } from '../../../../shared/contract';
import { VisibleText } from '../../components/VisibleText';
import { ErrorAlert } from '../../components/ErrorAlert';
import { auditEventQuery } from './queries';

/** Every field of one audit event. */
export function EventDrawer(props: { event: AuditEvent | null; onClose(): void }) {
  const e = props.event;
  return (
    <Drawer
      opened={e !== null}
      onClose={props.onClose}
      position="right"
      size="lg"
      title="Audit event"
      closeButtonProps={{ 'aria-label': 'Close event details' }}
    >
      {/* Keyed by event: the full value asked for one event is not shown for the next. */}
      {e ? <EventFields key={e.id} listed={e} /> : null}
    </Drawer>
  );
}

/**
 * The event as listed; where the list cut a value too large to list (`truncated`), its start,
 * its size, and the whole event from audit.getEvent once asked for.
 */
function EventFields(props: { listed: AuditEvent }) {
  const cut = props.listed.truncated;
  const [wantFull, setWantFull] = useState(false);
  const full = useQuery({ ...auditEventQuery(props.listed.id), enabled: wantFull && !!cut });
  const e = full.data ?? props.listed;
  const shownCut = full.data ? undefined : cut;
  const bytes = Math.max(cut?.details?.bytes ?? 0, cut?.userAgent?.bytes ?? 0);
  const rows: Array<[string, string]> = [
    ['Event', e.type],
    ['Time', `${new Date(e.timestamp).toLocaleString()} (${e.timestamp})`],
    ['User ID', e.userId ?? '—'],
    ['Email', e.email ?? '—'],
    ['IP address', e.ip ?? '—'],
    [
      'User agent',
      shownCut?.userAgent
        ? `${e.userAgent ?? ''}… (cut: ${shownCut.userAgent.bytes.toLocaleString()} bytes in all)`
        : (e.userAgent ?? '—'),
    ],
    ['Method', e.method ?? '—'],
    ['Source', e.source ?? 'This console'],
    ['Event ID', String(e.id)],
  ];
  return (
    <Stack gap="md">
      <Table>
        <Table.Tbody>
          {rows.map(([label, value]) => (
            <Table.Tr key={label}>
              <Table.Th w={130}>{label}</Table.Th>
              <Table.Td style={{ wordBreak: 'break-all' }}>
                <VisibleText>{value}</VisibleText>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Stack gap={4}>
        <Text fw={700} size="sm">
          Details
        </Text>
        {shownCut?.details ? (
          <>
            <Text size="sm">
              Too large to list ({shownCut.details.bytes.toLocaleString()} bytes, stored before the
              size limit): the start of their JSON text.
            </Text>
            <Code block style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>
              <VisibleText multiline>{`${shownCut.details.preview}…`}</VisibleText>
            </Code>
          </>
        ) : (
          // JSON escapes C0 controls, so a raw line feed here is its own layout.
          <Code block>
            <VisibleText multiline>{JSON.stringify(e.details, null, 2)}</VisibleText>
          </Code>
        )}
        {shownCut ? (
          <Button
            variant="default"
            size="xs"
            w="fit-content"
            loading={full.isFetching}
            onClick={() => setWantFull(true)}
          >
            Show the full value ({bytes.toLocaleString()} bytes)
          </Button>
        ) : null}
        <ErrorAlert error={full.error} title="The full event could not be loaded" />
      </Stack>
    </Stack>
  );
}
