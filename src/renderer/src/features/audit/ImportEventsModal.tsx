import {
  Alert,
  Anchor,
  Button,
  Checkbox,
  Code,
  Group,
  Modal,
  Paper,
  Progress,
  Stack,
  Text,
} from '@mantine/core';
import { IconFileImport, IconUpload } from '@tabler/icons-react';
import { useRef, useState } from 'react';
import { isFileRefused } from '../../api/api-error';
import { ErrorAlert } from '../../components/ErrorAlert';
import { uploadFile } from '../../lib/upload';
import { useImportEvents } from './queries';

function formatBytes(n: number) {
  return n >= 1048576 ? `${(n / 1048576).toFixed(1)} MB` : `${Math.ceil(n / 1024)} KB`;
}

/** Imports the web application's audit export: pick or drop a file, watch it go, cancel if need be. */
export function ImportEventsModal(props: { opened: boolean; onClose(): void }) {
  const [file, setFile] = useState<File | null>(null);
  const [skipInvalid, setSkipInvalid] = useState(false);
  const [dragging, setDragging] = useState(false);
  const [uploaded, setUploaded] = useState(0);
  const picker = useRef<HTMLInputElement>(null);
  const run = useImportEvents();
  const progress = run.progress;
  // The upload comes first, as the job's preparation: cancelling stops it too.
  const start = (chosen: File) =>
    run.start(async (signal) => ({
      uploadId: await uploadFile(chosen, setUploaded, signal),
      skipInvalid,
    }));

  const close = () => {
    if (run.isPending) return;
    run.reset();
    setFile(null);
    setUploaded(0);
    props.onClose();
  };
  const choose = (chosen: File | undefined) => {
    if (!chosen) return;
    run.reset();
    setFile(chosen);
  };
  const importing = run.started;
  const fraction = importing
    ? progress?.total
      ? progress.done / progress.total
      : 0
    : file
      ? uploaded / Math.max(1, file.size)
      : 0;
  // The file was refused: the message lists its bad lines, one per line.
  const badLines = isFileRefused(run.error);

  return (
    <Modal opened={props.opened} onClose={close} title="Import audit events" size="lg" centered>
      <Stack gap="md">
        <Text size="sm">
          A JSON Lines or CSV file with the fields type, timestamp, userId, email, ip, userAgent,
          method, details: for example your web application&apos;s audit export. Events already in
          the trail are skipped.
        </Text>
        <Paper
          withBorder
          p="xl"
          radius="md"
          style={{
            borderStyle: 'dashed',
            textAlign: 'center',
            cursor: 'pointer',
            background: dragging ? 'var(--mantine-primary-color-light)' : undefined,
          }}
          onDragOver={(event) => {
            event.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={(event) => {
            event.preventDefault();
            setDragging(false);
            choose(event.dataTransfer.files[0]);
          }}
          onClick={() => picker.current?.click()}
          role="button"
          aria-label="Choose a file to import, or drop one here"
          tabIndex={0}
          onKeyDown={(event) => {
            if (event.key === 'Enter' || event.key === ' ') picker.current?.click();
          }}
        >
          <Stack gap={4} align="center">
            <IconUpload size={28} aria-hidden />
            <Text fw={600}>{file ? file.name : 'Drop a file here or click to choose'}</Text>
            <Text size="sm">{file ? formatBytes(file.size) : '.jsonl or .csv, up to 2 GB'}</Text>
          </Stack>
          <input
            ref={picker}
            type="file"
            accept=".jsonl,.ndjson,.json,.csv"
            hidden
            data-testid="import-file"
            onChange={(event) => choose(event.currentTarget.files?.[0])}
          />
        </Paper>
        <Checkbox
          label="Skip invalid lines (import the good ones; the rejected ones, each with its reason, are offered as a file)"
          checked={skipInvalid}
          onChange={(event) => setSkipInvalid(event.currentTarget.checked)}
        />
        {run.isPending ? (
          <Stack gap={4}>
            <Progress value={fraction * 100} aria-label="Import progress" animated={false} />
            <Text size="sm">
              {importing
                ? `Importing… ${Math.round(fraction * 100)}%`
                : `Uploading… ${formatBytes(uploaded)} of ${formatBytes(file?.size ?? 0)}`}
            </Text>
          </Stack>
        ) : null}
        {run.result ? (
          <Alert
            color="green"
            variant="light"
            title={`Imported ${run.result.imported.toLocaleString()} events from ${run.result.file}`}
          >
            <Stack gap={6}>
              <Text size="sm">
                {run.result.duplicates
                  ? `${run.result.duplicates.toLocaleString()} were already in the trail. `
                  : ''}
                {run.result.rejected
                  ? `${run.result.rejected.toLocaleString()} invalid ${run.result.rejected === 1 ? 'line was' : 'lines were'} skipped. `
                  : ''}
                The import is recorded in the audit trail.
              </Text>
              {run.result.rejectedFile?.downloadUrl ? (
                <Text size="sm">
                  <Anchor
                    href={run.result.rejectedFile.downloadUrl}
                    download={run.result.rejectedFile.fileName}
                    fw={700}
                  >
                    Download rejected lines
                  </Anchor>{' '}
                  ({run.result.rejectedFile.fileName}: each skipped line with its line number and
                  reason, in JSON Lines). The link works once, in this session, for an hour.
                </Text>
              ) : run.result.rejectedFile ? (
                <Text size="sm">
                  Rejected lines, each with its line number and reason, saved to{' '}
                  <Code>{run.result.rejectedFile.savedTo}</Code>
                </Text>
              ) : null}
            </Stack>
          </Alert>
        ) : null}
        {badLines ? (
          <Alert color="red" variant="light" title="Nothing was imported" role="alert">
            <Text size="sm" ff="monospace" style={{ whiteSpace: 'pre-wrap' }}>
              {run.error?.message.replace(/\nNothing was imported\.$/, '')}
            </Text>
          </Alert>
        ) : (
          <ErrorAlert error={run.error} title="Nothing was imported" />
        )}
        <Group justify="flex-end">
          {run.isPending ? (
            <Button color="red" variant="outline" onClick={run.cancel}>
              Cancel import
            </Button>
          ) : (
            <Button variant="default" onClick={close}>
              {run.result ? 'Done' : 'Close'}
            </Button>
          )}
          <Button
            leftSection={<IconFileImport size={16} />}
            disabled={!file || run.isPending || Boolean(run.result)}
            loading={run.isPending}
            onClick={() => file && start(file)}
          >
            Import
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
