import { Button, Card, CopyButton, Group, Stack, Text, Title } from '@mantine/core';
import { IconCopy, IconDownload } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import {
  getCoreRowModel,
  getSortedRowModel,
  useReactTable,
  type ColumnDef,
} from '@tanstack/react-table';
import type { UserOverview } from '../../../../shared/contract';
import { userCsvColumns, userCsvRow } from '../../../../shared/users-csv';
import { ErrorAlert } from '../../components/ErrorAlert';
import { toCsv } from '../../lib/csv';
import { downloadText } from '../../lib/download';
import { roleLabels } from '../users/TwoFactorStatusBadge';
import { UserEmail, UserLink, UsersTable } from '../users/UsersTable';
import { notEnrolledQuery } from './queries';

const columns: ColumnDef<UserOverview>[] = [
  {
    id: 'name',
    header: 'Name',
    accessorKey: 'name',
    cell: ({ row }) => <UserLink user={row.original} />,
  },
  {
    id: 'email',
    header: 'Email',
    accessorKey: 'email',
    cell: ({ row }) => <UserEmail user={row.original} />,
  },
  { id: 'role', header: 'Role', accessorFn: (u) => roleLabels[u.role] },
];
const noUsers: UserOverview[] = [];

/** "Regular reminders": who has not set up 2FA yet, to export or to paste as a BCC list. */
export function NotEnrolledCard() {
  const list = useQuery(notEnrolledQuery());
  const users = useMemo(
    () => (list.data?.users ?? noUsers).filter((u) => u.accountStatus === 'active'),
    [list.data],
  );
  // TanStack Table returns functions the React Compiler must not memoise; it knows and skips.
  // eslint-disable-next-line react-hooks/incompatible-library
  const table = useReactTable({
    data: users,
    columns,
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: getSortedRowModel(),
    initialState: { sorting: [{ id: 'name', desc: false }] },
  });
  const bcc = users.map((u) => u.email).join(', ');
  return (
    <Card withBorder padding="lg">
      <Stack gap="sm">
        <Group justify="space-between" align="flex-end">
          <Stack gap={0}>
            <Title order={2} size="h4">
              Not enrolled yet
            </Title>
            <Text size="sm">
              {list.data
                ? `${users.length.toLocaleString()} active ${users.length === 1 ? 'user' : 'users'} without two-factor authentication`
                : 'Loading…'}
            </Text>
          </Stack>
          <Group gap="xs">
            <CopyButton value={bcc}>
              {({ copied, copy }) => (
                <Button
                  variant="default"
                  leftSection={<IconCopy size={16} />}
                  disabled={users.length === 0}
                  onClick={copy}
                >
                  {copied ? 'Copied' : 'Copy as BCC list'}
                </Button>
              )}
            </CopyButton>
            <Button
              variant="default"
              leftSection={<IconDownload size={16} />}
              disabled={users.length === 0}
              onClick={() =>
                downloadText(
                  `org2fa-not-enrolled-${new Date().toISOString().slice(0, 10)}.csv`,
                  toCsv(userCsvColumns, users.map(userCsvRow)),
                  'text/csv;charset=utf-8',
                )
              }
            >
              Export CSV
            </Button>
          </Group>
        </Group>
        <ErrorAlert error={list.error} title="Users could not be loaded" />
        {list.data && users.length === 0 ? (
          <Text size="sm">Everyone has set up two-factor authentication.</Text>
        ) : null}
        {users.length > 0 ? (
          <UsersTable
            table={table}
            height={Math.min(360, 60 + users.length * 45)}
            label="Users not enrolled"
          />
        ) : null}
      </Stack>
    </Card>
  );
}
