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
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { AuditFilterInput } from '../../../../shared/contract';
import { callApi } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { newJobId, useJobProgress } from '../../hooks/useJobProgress';
import { downloadText } from '../../lib/download';

/** Exports the events the current filters select, as CSV or JSON Lines, with a manifest. */
export function ExportModal(props: { opened: boolean; filter: AuditFilterInput; onClose(): void }) {
  const queryClient = useQueryClient();
  const [format, setFormat] = useState<'csv' | 'jsonl'>('csv');
  const [jobId, setJobId] = useState<string | null>(null);
  const progress = useJobProgress(jobId);
  const run = useMutation({
    mutationFn: () => {
      const id = newJobId();
      setJobId(id);
      return callApi('audit.export', { filters: props.filter, format, jobId: id });
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['audit'] }),
  });
  const close = () => {
    if (run.isPending) {
      if (jobId) void callApi('audit.cancelJob', { jobId });
      return;
    }
    run.reset();
    setJobId(null);
    props.onClose();
  };
  const filterText = Object.entries(props.filter)
    .map(
      ([k, v]) =>
        `${k}=${Array.isArray(v) ? v.map((t) => String(t).replace('com.alaigned.', '')).join('|') : String(v)}`,
    )
    .join(', ');
  const result = run.data;

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
          onChange={(value) => setFormat(value as 'csv' | 'jsonl')}
          data={[
            { value: 'csv', label: 'CSV (spreadsheets)' },
            { value: 'jsonl', label: 'JSON Lines (re-importable)' },
          ]}
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
                    `${result.fileName}.manifest.json`,
                    `${JSON.stringify(result.manifest, null, 2)}\n`,
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
              onClick={() => run.mutate()}
            >
              Export
            </Button>
          ) : null}
        </Group>
      </Stack>
    </Modal>
  );
}
