import {
  Anchor,
  Badge,
  Button,
  Group,
  Paper,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { IconPrinter } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { ErrorAlert } from '../../components/ErrorAlert';
import { VisibleText } from '../../components/VisibleText';
import { bootstrapQuery } from '../session/queries';
import { FailureHeatmap } from './FailureHeatmap';
import { patternsQuery, summaryQuery, topQuery } from './queries';
import { TimelineChart } from './TimelineChart';
import { TopChart } from './TopChart';

const TZ_OFFSET_MINUTES = -new Date().getTimezoneOffset();

function TopTable(props: {
  title: string;
  by: 'user' | 'ip';
  range: { since?: string; until?: string };
}) {
  const top = useQuery(topQuery(props.range, props.by));
  return (
    <Paper withBorder p="md" className="report-section">
      <Title order={2} size="h4" mb="xs">
        {props.title}
      </Title>
      <Table>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{props.by === 'user' ? 'User' : 'Address'}</Table.Th>
            <Table.Th ta="right">Failed verifications</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(top.data?.rows ?? []).map((row) => (
            <Table.Tr key={row.key}>
              <Table.Td>
                <VisibleText>{row.label}</VisibleText>
              </Table.Td>
              <Table.Td ta="right">{row.failures.toLocaleString()}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Paper>
  );
}

/**
 * A print-styled summary of a period for auditors: counts by event type, the findings, the
 * charts, the top users and addresses. Printed (or saved as PDF) from the browser or desktop.
 */
export function ReportPage() {
  const [params] = useSearchParams();
  const [generatedAt] = useState(() => new Date());
  const range = {
    since: params.get('since') ?? undefined,
    until: params.get('until') ?? undefined,
  };
  const bootstrap = useQuery(bootstrapQuery());
  const summary = useQuery(summaryQuery(range));
  const patterns = useQuery(patternsQuery(range));
  const period = `${range.since ? new Date(range.since).toLocaleString() : 'the beginning'} – ${range.until ? new Date(range.until).toLocaleString() : generatedAt.toLocaleString()}`;

  return (
    <Stack gap="lg" maw={1100}>
      <Group justify="space-between" className="no-print">
        <Anchor component={Link} to={`/audit?${params.toString()}`}>
          ← Back to the audit page
        </Anchor>
        <Button leftSection={<IconPrinter size={16} />} onClick={() => window.print()}>
          Print or save as PDF
        </Button>
      </Group>
      <Stack gap={2}>
        <Title order={1}>Two-factor authentication audit summary</Title>
        <Text fw={600}>
          <VisibleText>{bootstrap.data?.orgName}</VisibleText>
        </Text>
        <Text size="sm">Period: {period}</Text>
        <Text size="sm">Generated {generatedAt.toLocaleString()} by Org 2FA Console</Text>
      </Stack>

      <Paper withBorder p="md" className="report-section">
        <Title order={2} size="h4" mb="xs">
          Events by type
        </Title>
        <ErrorAlert error={summary.error} title="Counts unavailable" />
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Event</Table.Th>
              <Table.Th ta="right">Count</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(summary.data?.counts ?? []).map((row) => (
              <Table.Tr key={row.type}>
                <Table.Td ff="monospace" fz="sm">
                  {row.type}
                </Table.Td>
                <Table.Td ta="right">{row.count.toLocaleString()}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Paper>

      <Paper withBorder p="md" className="report-section">
        <Title order={2} size="h4" mb="xs">
          Findings
        </Title>
        {patterns.data && patterns.data.findings.length === 0 ? (
          <Text size="sm">No suspicious patterns in this period.</Text>
        ) : null}
        <Table>
          <Table.Tbody>
            {(patterns.data?.findings ?? []).map((f) => (
              <Table.Tr key={f.id}>
                <Table.Td>
                  <Badge
                    variant="light"
                    color={
                      f.severity === 'high' ? 'red' : f.severity === 'medium' ? 'orange' : 'gray'
                    }
                    radius="sm"
                  >
                    {f.severity}
                  </Badge>
                </Table.Td>
                <Table.Td fz="sm">
                  <VisibleText>{f.title}</VisibleText>
                </Table.Td>
                <Table.Td fz="sm">{new Date(f.start).toLocaleString()}</Table.Td>
                <Table.Td fz="sm" ta="right">
                  {f.count} events
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Paper>

      <div className="report-section">
        <TimelineChart
          range={range}
          bucket="day"
          onBucketChange={() => undefined}
          onSelect={() => undefined}
        />
      </div>
      <SimpleGrid cols={2} className="report-section">
        <TopChart range={range} by="user" onSelect={() => undefined} />
        <TopChart range={range} by="network" onSelect={() => undefined} />
      </SimpleGrid>
      <div className="report-section">
        <FailureHeatmap
          range={range}
          tzOffsetMinutes={TZ_OFFSET_MINUTES}
          onSelect={() => undefined}
        />
      </div>
      <SimpleGrid cols={2}>
        <TopTable title="Top users by failures" by="user" range={range} />
        <TopTable title="Top addresses by failures" by="ip" range={range} />
      </SimpleGrid>
    </Stack>
  );
}
