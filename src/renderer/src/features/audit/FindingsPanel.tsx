import { Badge, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { IconAdjustments, IconListSearch } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { Finding } from '../../../../shared/contract';
import { ErrorAlert } from '../../components/ErrorAlert';
import { VisibleText } from '../../components/VisibleText';
import { PatternSettingsModal } from './PatternSettingsModal';
import { detectorsQuery, patternsQuery, type TimeRange } from './queries';
const severityColors = { high: 'red', medium: 'orange', low: 'gray' } as const;

function summarize(items: string[], max: number): string {
  return items.length <= max
    ? items.join(', ')
    : `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}

/** Every detector's findings in the selected period, titled by the registry; each opens its events. */
export function FindingsPanel(props: { range: TimeRange; onShow(finding: Finding): void }) {
  const patterns = useQuery(patternsQuery(props.range));
  const detectors = useQuery(detectorsQuery());
  const titleOf = (kind: string) =>
    detectors.data?.detectors.find((detector) => detector.kind === kind)?.title ?? kind;
  const [settingsOpen, setSettingsOpen] = useState(false);
  const findings = patterns.data?.findings ?? [];
  return (
    <Paper withBorder p="md" radius="md">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={2} size="h4">
            Findings
          </Title>
          <Group gap="sm">
            <Text size="sm">
              {!patterns.data
                ? 'Analysing…'
                : findings.length === 0
                  ? 'Nothing suspicious in this period.'
                  : `${findings.length} in this period`}
            </Text>
            <Button
              size="xs"
              variant="default"
              leftSection={<IconAdjustments size={14} />}
              onClick={() => setSettingsOpen(true)}
            >
              Thresholds
            </Button>
          </Group>
        </Group>
        <ErrorAlert error={patterns.error} title="Patterns could not be computed" />
        <Stack gap="xs" role="list" aria-label="Findings">
          {findings.map((finding) => (
            <Paper key={finding.id} withBorder p="sm" radius="sm" role="listitem">
              <Group justify="space-between" align="flex-start" wrap="nowrap">
                <Stack gap={2} miw={0}>
                  <Group gap="xs">
                    <Badge color={severityColors[finding.severity]} variant="light" radius="sm">
                      {finding.severity}
                    </Badge>
                    <Text size="sm" fw={700}>
                      {titleOf(finding.kind)}
                    </Text>
                  </Group>
                  <Text size="sm">
                    <VisibleText>{finding.title}</VisibleText>
                  </Text>
                  <Text size="xs">
                    {new Date(finding.start).toLocaleString()} –{' '}
                    {new Date(finding.end).toLocaleString()} · {finding.count} events
                    {finding.ips.length ? ` · from ${summarize(finding.ips, 3)}` : ''}
                  </Text>
                  {finding.users.length > 1 ? (
                    <Text size="xs">
                      Users: <VisibleText>{summarize(finding.users, 4)}</VisibleText>
                    </Text>
                  ) : null}
                </Stack>
                <Button
                  size="xs"
                  variant="light"
                  leftSection={<IconListSearch size={14} />}
                  onClick={() => props.onShow(finding)}
                >
                  Show events
                </Button>
              </Group>
            </Paper>
          ))}
        </Stack>
      </Stack>
      <PatternSettingsModal opened={settingsOpen} onClose={() => setSettingsOpen(false)} />
    </Paper>
  );
}
