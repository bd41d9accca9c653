import { Breadcrumbs, Button, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { IconDownload, IconFileImport, IconReport, IconShieldCheck } from '@tabler/icons-react';
import { useInfiniteQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { useState } from 'react';
import { fieldErrorsOf } from '../../api/api-error';
import type { AuditEvent } from '../../../../shared/contract';
import { useAuditView } from './audit-filters';
import { AuditFilters, filterInputFields } from './AuditFilters';
import { EventDrawer } from './EventDrawer';
import { EventsTable } from './EventsTable';
import { ExportModal } from './ExportModal';
import { ImportEventsModal } from './ImportEventsModal';
import { auditEventsQuery } from './queries';
import { VerifyChainModal } from './VerifyChainModal';
import { CountryMap } from './CountryMap';
import { FailureHeatmap } from './FailureHeatmap';
import { FindingsPanel } from './FindingsPanel';
import { TimelineChart } from './TimelineChart';
import { TopChart } from './TopChart';

/** This computer's offset from UTC, for the weekday/hour heatmap and its filter. */
const TZ_OFFSET_MINUTES = -new Date().getTimezoneOffset();

/**
 * Company Profile → Audit: filters (kept in the URL), the detectors' findings, the charts and
 * the map (a click on a bar, cell or country filters the table) and the events themselves.
 */
export function AuditPage() {
  const { view, update, replaceAll, refresh } = useAuditView();
  const [open, setOpen] = useState<AuditEvent | null>(null);
  const [bucket, setBucket] = useState<'hour' | 'day' | null>(null);
  const [dialog, setDialog] = useState<'import' | 'export' | 'verify' | null>(null);
  const range = { since: view.filter.since, until: view.filter.until };
  const short =
    view.range === '24h' ||
    view.range === '7d' ||
    (view.range === 'custom' &&
      range.since &&
      range.until &&
      Date.parse(range.until) - Date.parse(range.since) <= 8 * 86_400_000);
  const effectiveBucket = bucket ?? (short ? 'hour' : 'day');
  // The table's own query (shared cache): a refused filter is shown on its input.
  const events = useInfiniteQuery(auditEventsQuery(view.filter));

  return (
    <Stack gap="lg">
      <Stack gap={2}>
        <Breadcrumbs>
          <Text size="sm">Company Profile</Text>
          <Text size="sm">Audit</Text>
        </Breadcrumbs>
        <Group justify="space-between" align="flex-end">
          <Title order={1}>Audit</Title>
          <Group gap="sm">
            <Button
              variant="default"
              leftSection={<IconFileImport size={16} />}
              onClick={() => setDialog('import')}
            >
              Import events
            </Button>
            <Button
              variant="default"
              leftSection={<IconDownload size={16} />}
              onClick={() => setDialog('export')}
            >
              Export
            </Button>
            <Button
              variant="default"
              leftSection={<IconShieldCheck size={16} />}
              onClick={() => setDialog('verify')}
            >
              Verify chain
            </Button>
            <Button
              variant="default"
              leftSection={<IconReport size={16} />}
              component={Link}
              to={`/audit/report?${new URLSearchParams({ ...(range.since ? { since: range.since } : {}), ...(range.until ? { until: range.until } : {}) }).toString()}`}
            >
              Summary report
            </Button>
          </Group>
        </Group>
      </Stack>
      <AuditFilters
        view={view}
        update={update}
        replaceAll={replaceAll}
        refresh={refresh}
        fieldErrors={fieldErrorsOf(events.error)}
      />
      <FindingsPanel range={range} onShow={(finding) => replaceAll('custom', finding.filter)} />
      <TimelineChart
        range={range}
        bucket={effectiveBucket}
        onBucketChange={setBucket}
        onSelect={(since, until) => update({ range: 'custom', since, until })}
      />
      <SimpleGrid cols={{ base: 1, lg: 2 }}>
        <TopChart range={range} by="user" onSelect={(_key, label) => update({ email: label })} />
        <TopChart range={range} by="network" onSelect={(key) => update({ ip: key })} />
      </SimpleGrid>
      <CountryMap
        range={range}
        selected={view.filter.country}
        onSelect={(country) => update({ country })}
      />
      <FailureHeatmap
        range={range}
        tzOffsetMinutes={TZ_OFFSET_MINUTES}
        onSelect={(weekday, hour) => update({ weekday, hour, tzOffsetMinutes: TZ_OFFSET_MINUTES })}
      />
      <Stack gap="xs">
        <Title order={2} size="h3">
          Events
        </Title>
        <EventsTable filter={view.filter} onOpen={setOpen} errorFields={filterInputFields} />
      </Stack>
      <EventDrawer event={open} onClose={() => setOpen(null)} />
      <ImportEventsModal opened={dialog === 'import'} onClose={() => setDialog(null)} />
      <ExportModal
        opened={dialog === 'export'}
        filter={view.filter}
        onClose={() => setDialog(null)}
      />
      <VerifyChainModal opened={dialog === 'verify'} onClose={() => setDialog(null)} />
    </Stack>
  );
}
