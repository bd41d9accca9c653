import { Code, Drawer, Stack, Table, Text } from '@mantine/core';
import type { AuditEvent } from '../../../../shared/contract';
import { VisibleText } from '../../components/VisibleText';

/** Every field of one audit event. */
export function EventDrawer(props: { event: AuditEvent | null; onClose(): void }) {
  const e = props.event;
  const rows: Array<[string, string]> = e
    ? [
        ['Event', e.type],
        ['Time', `${new Date(e.timestamp).toLocaleString()} (${e.timestamp})`],
        ['User ID', e.userId ?? '—'],
        ['Email', e.email ?? '—'],
        ['IP address', e.ip ?? '—'],
        ['User agent', e.userAgent ?? '—'],
        ['Method', e.method ?? '—'],
        ['Source', e.source ?? 'This console'],
        ['Event ID', String(e.id)],
      ]
    : [];
  return (
    <Drawer
      opened={e !== null}
      onClose={props.onClose}
      position="right"
      size="lg"
      title="Audit event"
      closeButtonProps={{ 'aria-label': 'Close event details' }}
    >
      {e ? (
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
            {/* JSON escapes C0 controls, so a raw line feed here is its own layout. */}
            <Code block>
              <VisibleText multiline>{JSON.stringify(e.details, null, 2)}</VisibleText>
            </Code>
          </Stack>
        </Stack>
      ) : null}
    </Drawer>
  );
}
