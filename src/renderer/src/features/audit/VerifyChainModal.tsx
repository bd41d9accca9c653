import { Alert, Button, Code, Group, Modal, Progress, Stack, Text } from '@mantine/core';
import { IconShieldCheck } from '@tabler/icons-react';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useVerifyChain } from './queries';

/** Walks the hash chain of the whole trail and says whether it is intact, or where not. */
export function VerifyChainModal(props: { opened: boolean; onClose(): void }) {
  const run = useVerifyChain();
  const progress = run.progress;
  const close = () => {
    if (run.isPending) return;
    run.reset();
    props.onClose();
  };
  const result = run.result;
  return (
    <Modal opened={props.opened} onClose={close} title="Verify the audit trail" centered>
      <Stack gap="md">
        <Text size="sm">
          Every event stores the hash of the one before it. Checking the whole chain shows whether
          any event was changed, removed or reordered since it was recorded.
        </Text>
        {run.isPending ? (
          <Stack gap={4}>
            <Progress
              value={progress?.total ? (progress.done / progress.total) * 100 : 5}
              aria-label="Verification progress"
            />
            <Text size="sm">
              Checking…{' '}
              {progress
                ? `${progress.done.toLocaleString()} of ${progress.total?.toLocaleString() ?? '?'} events`
                : ''}
            </Text>
          </Stack>
        ) : null}
        {result ? (
          <Alert
            color={result.ok ? 'green' : 'red'}
            variant="light"
            title={
              result.ok ? 'The audit trail is intact' : 'The audit trail has been tampered with'
            }
            role="alert"
          >
            <Stack gap={4}>
              <Text size="sm">{result.message}</Text>
              {result.headHash ? (
                <Text size="sm">
                  Chain head: <Code style={{ wordBreak: 'break-all' }}>{result.headHash}</Code>
                </Text>
              ) : null}
            </Stack>
          </Alert>
        ) : null}
        <ErrorAlert error={run.error} title="Verification failed" />
        <Group justify="flex-end">
          <Button variant="default" onClick={close} disabled={run.isPending}>
            Close
          </Button>
          <Button
            leftSection={<IconShieldCheck size={16} />}
            loading={run.isPending}
            onClick={() => run.start({})}
          >
            {result ? 'Check again' : 'Verify'}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
