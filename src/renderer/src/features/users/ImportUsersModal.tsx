import {
  Alert,
  Button,
  FileInput,
  Group,
  Modal,
  Progress,
  Stack,
  Table,
  Text,
} from '@mantine/core';
import { IconFileTypeCsv } from '@tabler/icons-react';
import { useState } from 'react';
import { isFileRefused, proofFieldNames } from '../../api/api-error';
import { ErrorAlert } from '../../components/ErrorAlert';
import { ProofField, proofInput } from '../../components/ProofField';
import { VisibleText } from '../../components/VisibleText';
import { toCsv } from '../../lib/csv';
import { downloadText } from '../../lib/download';
import { useProofNeeded } from '../session/reauth';
import { useImportUsers } from './queries';
import { roleLabels } from './TwoFactorStatusBadge';

/** Imports users from a CSV file (email, name, role), all or nothing, with progress. */
export function ImportUsersModal(props: { opened: boolean; onClose(): void }) {
  const importUsers = useImportUsers();
  const proof = useProofNeeded('users.import', importUsers.error);
  const [file, setFile] = useState<File | null>(null);
  const [proofValue, setProofValue] = useState('');

  const close = () => {
    importUsers.reset();
    setFile(null);
    setProofValue('');
    props.onClose();
  };
  const start = () => {
    if (!file) return;
    const proofGiven = proof.needed ? proofInput(proof.method, proofValue) : {};
    importUsers.start(async () => ({ csv: await file.text(), ...proofGiven }), {
      onSettled: () => void proof.refresh(),
    });
  };
  const result = importUsers.result?.users;
  const progress = importUsers.progress;
  // The file was refused line by line: the message lists every wrong line, one per line.
  const refused = isFileRefused(importUsers.error);

  return (
    <Modal opened={props.opened} onClose={close} title="Import users from CSV" size="lg" centered>
      {result ? (
        <Stack gap="md">
          <Alert color="green" variant="light" title={`${result.length} users imported`}>
            Each has a temporary password, shown only now. Download the list and hand each person
            their password by a safe channel.
          </Alert>
          <div style={{ maxHeight: 280, overflow: 'auto' }}>
            <Table striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Email</Table.Th>
                  <Table.Th>Role</Table.Th>
                  <Table.Th>Temporary password</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {result.map((user) => (
                  <Table.Tr key={user.email}>
                    <Table.Td>
                      <VisibleText truncate maw={260}>
                        {user.email}
                      </VisibleText>
                    </Table.Td>
                    <Table.Td>{roleLabels[user.role]}</Table.Td>
                    <Table.Td ff="monospace">{user.temporaryPassword}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </div>
          <Group justify="flex-end">
            <Button
              variant="default"
              onClick={() =>
                downloadText(
                  'org2fa-imported-users.csv',
                  toCsv(
                    ['email', 'name', 'role', 'temporary_password'],
                    result.map((u) => [u.email, u.name, u.role, u.temporaryPassword]),
                  ),
                  'text/csv;charset=utf-8',
                )
              }
            >
              Download list
            </Button>
            <Button onClick={close}>Done</Button>
          </Group>
        </Stack>
      ) : (
        <Stack gap="md">
          <Text size="sm">
            A CSV file with a header row <code>email,name,role</code> and one line per user. Roles:
            member, site_admin, enterprise_admin. If any line is wrong, nothing is imported and
            every wrong line is listed.
          </Text>
          <FileInput
            label="CSV file"
            placeholder="Choose a .csv file"
            accept=".csv,text/csv"
            leftSection={<IconFileTypeCsv size={16} />}
            value={file}
            onChange={setFile}
            clearable
            clearButtonProps={{ 'aria-label': 'Clear the chosen file' }}
          />
          {proof.needed ? (
            <ProofField
              method={proof.method}
              value={proofValue}
              error={proof.fieldError}
              onChange={setProofValue}
            />
          ) : null}
          {importUsers.isPending && progress ? (
            <Stack gap={4}>
              <Progress
                value={(progress.done / Math.max(1, progress.total ?? progress.done)) * 100}
                aria-label="Import progress"
              />
              <Text size="xs">
                Preparing {progress.done} of {progress.total} users…
              </Text>
            </Stack>
          ) : null}
          {refused ? (
            <Alert color="red" variant="light" title="Nothing was imported" role="alert">
              <Text size="sm">
                <VisibleText multiline>
                  {importUsers.error?.message.replace(/^Nothing was imported\. /, '')}
                </VisibleText>
              </Text>
            </Alert>
          ) : (
            <ErrorAlert
              error={importUsers.error}
              title="Nothing was imported"
              fields={proofFieldNames}
            />
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button
              onClick={start}
              disabled={!file || (proof.needed && !proofValue.trim())}
              loading={importUsers.isPending || !proof.known}
            >
              Import
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
