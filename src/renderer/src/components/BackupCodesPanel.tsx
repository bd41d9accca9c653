import {
  Alert,
  Button,
  Checkbox,
  CopyButton,
  Group,
  Paper,
  SimpleGrid,
  Stack,
  Text,
} from '@mantine/core';
import { IconCheck, IconCopy, IconDownload, IconPrinter } from '@tabler/icons-react';
import { useState } from 'react';
import { downloadText } from '../lib/download';
import { VisibleText } from './VisibleText';

function backupCodesText(codes: string[], account: string, orgName: string): string {
  return [
    `Org 2FA Console backup codes for ${account} (${orgName})`,
    `Generated ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC.`,
    'Each code works once. Keep them somewhere safe, away from your phone.',
    '',
    ...codes,
    '',
  ].join('\n');
}

/** Prints the codes alone (print.css hides everything else while the attribute is set). */
function printCodes() {
  document.body.dataset.printing = 'backup-codes';
  window.addEventListener('afterprint', () => delete document.body.dataset.printing, {
    once: true,
  });
  window.print();
}

/**
 * Backup codes shown once: download as .txt, copy, print, and an "I saved them" confirmation
 * that gates `onDone`.
 */
export function BackupCodesPanel(props: {
  codes: string[];
  account: string;
  orgName: string;
  doneLabel: string;
  onDone(): void;
}) {
  const [saved, setSaved] = useState(false);
  const text = backupCodesText(props.codes, props.account, props.orgName);
  return (
    <Stack gap="md">
      <Alert color="yellow" variant="light" title="Save these backup codes now">
        They are shown only this once. Each code signs you in once if you lose your phone. Anyone
        with these codes can pass your second factor, so keep them as safe as a password.
      </Alert>
      <Paper withBorder p="md" className="printable-backup-codes">
        <Text className="print-only" fw={700} mb="sm">
          Backup codes for <VisibleText>{props.account}</VisibleText> (
          <VisibleText>{props.orgName}</VisibleText>)
        </Text>
        <SimpleGrid
          cols={2}
          spacing="xs"
          component="ol"
          aria-label="Backup codes"
          style={{ listStyle: 'none', padding: 0, margin: 0 }}
        >
          {props.codes.map((code) => (
            <Text component="li" key={code} ff="monospace" fz="lg" fw={600}>
              {code}
            </Text>
          ))}
        </SimpleGrid>
      </Paper>
      <Group gap="sm">
        <Button
          variant="default"
          leftSection={<IconDownload size={16} />}
          onClick={() => downloadText(`org2fa-backup-codes-${props.account}.txt`, text)}
        >
          Download .txt
        </Button>
        <CopyButton value={props.codes.join('\n')}>
          {({ copied, copy }) => (
            <Button
              variant="default"
              leftSection={copied ? <IconCheck size={16} /> : <IconCopy size={16} />}
              onClick={copy}
            >
              {copied ? 'Copied' : 'Copy'}
            </Button>
          )}
        </CopyButton>
        <Button variant="default" leftSection={<IconPrinter size={16} />} onClick={printCodes}>
          Print
        </Button>
      </Group>
      <Checkbox
        label="I saved my backup codes in a safe place"
        checked={saved}
        onChange={(event) => setSaved(event.currentTarget.checked)}
      />
      <Button disabled={!saved} onClick={props.onDone} w="fit-content">
        {props.doneLabel}
      </Button>
    </Stack>
  );
}
