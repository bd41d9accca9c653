import {
  Badge,
  Button,
  ColorSwatch,
  Group,
  Paper,
  Stack,
  Text,
  ThemeIcon,
  Title,
} from '@mantine/core';
import { IconAdjustments, IconArrowRight, IconListSearch } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import type { Finding } from '../../../../shared/contract';
import { ErrorAlert } from '../../components/ErrorAlert';
import { VisibleText } from '../../components/VisibleText';
import {
  asnLabel,
  countryLabel,
  groupBySeverity,
  resetTarget,
  severityLabels,
  summarize,
  timeSpan,
  trustOptions,
} from './findings';
import { PatternSettingsModal } from './PatternSettingsModal';
import { detectorsQuery, patternsQuery, type TimeRange } from './queries';
import { ResetTwoFactorButton } from './ResetTwoFactorButton';
import { TrustNetworkButton } from './TrustNetworkButton';

const severityColors = { high: 'red', medium: 'orange', low: 'gray' } as const;

/** One line of facts: label and value, the label quieter. */
function Fact(props: { label: string; children: React.ReactNode }) {
  return (
    <Text size="xs" component="span">
      <Text span inherit c="dimmed">
        {props.label}{' '}
      </Text>
      {props.children}
    </Text>
  );
}

function FindingCard(props: { finding: Finding; title: string; onShow(finding: Finding): void }) {
  const { finding } = props;
  const resetEmail = resetTarget(finding);
  const trust = trustOptions(finding);
  return (
    <Paper
      withBorder
      p="sm"
      radius="sm"
      role="listitem"
      style={{
        borderLeft: `4px solid var(--mantine-color-${severityColors[finding.severity]}-filled)`,
      }}
    >
      <Stack gap={6}>
        <Group justify="space-between" align="flex-start" gap="xs">
          <Stack gap={2} miw={0} style={{ flex: '1 1 320px' }}>
            <Group gap="xs" wrap="nowrap">
              <Badge color={severityColors[finding.severity]} variant="light" radius="sm">
                {finding.severity}
              </Badge>
              <Text size="sm" fw={700}>
                {props.title}
              </Text>
            </Group>
            <Text size="sm">
              <VisibleText>{finding.title}</VisibleText>
            </Text>
          </Stack>
          <Group gap="xs" justify="flex-end">
            <Button
              size="xs"
              variant="default"
              leftSection={<IconListSearch size={14} />}
              onClick={() => props.onShow(finding)}
            >
              Show events
            </Button>
            {resetEmail ? <ResetTwoFactorButton email={resetEmail} /> : null}
            <TrustNetworkButton options={trust} />
          </Group>
        </Group>
        <Text size="sm">
          <VisibleText>{finding.why}</VisibleText>
        </Text>
        <Group gap={6} wrap="nowrap" align="flex-start">
          <ThemeIcon size="sm" variant="transparent" color="gray" aria-hidden>
            <IconArrowRight size={14} />
          </ThemeIcon>
          <Text size="sm" fw={500}>
            <VisibleText>{finding.action}</VisibleText>
          </Text>
        </Group>
        <Group gap="md" style={{ rowGap: 2 }}>
          <Fact label="When">{timeSpan(finding.start, finding.end)}</Fact>
          <Fact label="Seen">{finding.count} events</Fact>
          {finding.countries.length ? (
            <Fact label={finding.countries.length === 1 ? 'Country' : 'Countries'}>
              {summarize(finding.countries.map(countryLabel), 4)}
            </Fact>
          ) : null}
          {finding.asns.length ? (
            <Fact label="Networks">{summarize(finding.asns.map(asnLabel), 4)}</Fact>
          ) : null}
          {finding.ips.length ? (
            <Fact label={finding.ips.length === 1 ? 'Address' : 'Addresses'}>
              {summarize(finding.ips, 3)}
            </Fact>
          ) : null}
          {finding.users.length ? (
            <Fact label={finding.users.length === 1 ? 'User' : 'Users'}>
              <VisibleText>{summarize(finding.users, 4)}</VisibleText>
            </Fact>
          ) : null}
        </Group>
      </Stack>
    </Paper>
  );
}

/**
 * Every detector's findings in the selected period, by severity (high first), each saying why it
 * is unusual and what to do, with its events a click away and the console's remedies as buttons.
 */
export function FindingsPanel(props: { range: TimeRange; onShow(finding: Finding): void }) {
  const patterns = useQuery(patternsQuery(props.range));
  const detectors = useQuery(detectorsQuery());
  const titleOf = (kind: string) =>
    detectors.data?.detectors.find((detector) => detector.kind === kind)?.title ?? kind;
  const [settingsOpen, setSettingsOpen] = useState(false);
  const findings = patterns.data?.findings ?? [];
  const headingId = useId();
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby={headingId}>
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={2} size="h4" id={headingId}>
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
        {groupBySeverity(findings).map((group) => (
          <Stack key={group.severity} gap="xs">
            <Group gap={8}>
              <ColorSwatch
                aria-hidden
                size={10}
                withShadow={false}
                color={`var(--mantine-color-${severityColors[group.severity]}-filled)`}
              />
              <Title order={3} size="h6">
                {severityLabels[group.severity]} severity · {group.findings.length}
              </Title>
            </Group>
            <Stack
              gap="xs"
              role="list"
              aria-label={`${severityLabels[group.severity]} severity findings`}
            >
              {group.findings.map((finding) => (
                <FindingCard
                  key={finding.id}
                  finding={finding}
                  title={titleOf(finding.kind)}
                  onShow={props.onShow}
                />
              ))}
            </Stack>
          </Stack>
        ))}
      </Stack>
      <PatternSettingsModal opened={settingsOpen} onClose={() => setSettingsOpen(false)} />
    </Paper>
  );
}
