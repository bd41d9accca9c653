import {
  Alert,
  Anchor,
  Button,
  Code,
  Group,
  Modal,
  Progress,
  SegmentedControl,
  Stack,
  Text,
} from '@mantine/core';
import { IconDownload } from '@tabler/icons-react';
import { useState } from 'react';
import type { AuditFilterInput } from '../../../../shared/contract';
import {
  eventFileFormats,
  manifestFileOf,
  manifestFileText,
  type EventFileFormat,
} from '../../../../shared/event-file';
import { ErrorAlert } from '../../components/ErrorAlert';
import { downloadText } from '../../lib/download';
import { describeFilter } from './audit-filters';
import { useExportEvents } from './queries';

const formatLabels: Record<EventFileFormat, string> = {
  csv: 'CSV (spreadsheets)',
  jsonl: 'JSON Lines (re-importable)',
};
const DEFAULT_FORMAT: EventFileFormat = 'csv';
/** Every format the contract knows, the default first. */
const formatOptions = [...eventFileFormats]
  .sort((a, b) => Number(b === DEFAULT_FORMAT) - Number(a === DEFAULT_FORMAT))
  .map((value) => ({ value, label: formatLabels[value] }));

/** Exports the events the current filters select, as CSV or JSON Lines, with a manifest. */
export function ExportModal(props: { opened: boolean; filter: AuditFilterInput; onClose(): void }) {
  const [format, setFormat] = useState<EventFileFormat>(DEFAULT_FORMAT);
  const run = useExportEvents();
  const progress = run.progress;
  const close = () => {
    if (run.isPending) {
      run.cancel();
      return;
    }
    run.reset();
    props.onClose();
  };
  const filterText = describeFilter(props.filter);
  const result = run.result;

  return (
    <Modal opened={props.opened} onClose={close} title="Export audit events" size="lg" centered>
      <Stack gap="md">
        <Text size="sm">
          Exports every event the current filters select, oldest first
          {filterText ? ` (${filterText})` : ''}. The export and its manifest (count, time range,
          filters and the chain head) are recorded in the audit trail.
        </Text>
        <SegmentedControl
          aria-label="Format"
          value={format}
          onChange={(value) => setFormat(value as EventFileFormat)}
          data={formatOptions}
          disabled={run.isPending || Boolean(result)}
        />
        {run.isPending ? (
          <Stack gap={4}>
            <Progress value={100} animated aria-label="Export progress" />
            <Text size="sm">
              Exporting… {progress ? `${progress.done.toLocaleString()} events so far` : ''}
            </Text>
          </Stack>
        ) : null}
        {result ? (
          <Alert
            color="green"
            variant="light"
            title={`Exported ${result.manifest.count.toLocaleString()} events`}
          >
            <Stack gap={6}>
              {result.downloadUrl ? (
                <Anchor href={result.downloadUrl} download={result.fileName} fw={700}>
                  Download {result.fileName}
                </Anchor>
              ) : (
                <Text size="sm">
                  Saved to <Code>{result.savedTo}</Code>
                </Text>
              )}
              <Text size="sm">
                SHA-256 of the events:{' '}
                <Code style={{ wordBreak: 'break-all' }}>{result.manifest.contentSha256}</Code>
              </Text>
              <Anchor
                component="button"
                type="button"
                size="sm"
                onClick={() =>
                  downloadText(
                    manifestFileOf(result.fileName),
                    manifestFileText(result.manifest),
                    'application/json',
                  )
                }
              >
                Download the manifest (.json)
              </Anchor>
            </Stack>
          </Alert>
        ) : null}
        <ErrorAlert error={run.error} title="Export failed" />
        <Group justify="flex-end">
          <Button variant="default" onClick={close}>
            {run.isPending ? 'Cancel export' : result ? 'Done' : 'Close'}
          </Button>
          {!result ? (
            <Button
              leftSection={<IconDownload size={16} />}
              loading={run.isPending}
              onClick={() => run.start({ filters: props.filter, format })}
            >
              Export
            </Button>
          ) : null}
        </Group>
      </Stack>
    </Modal>
  );
}
