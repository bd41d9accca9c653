import { Alert, Button, Group, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { IconDownload, IconFileImport, IconSearch, IconUserPlus } from '@tabler/icons-react';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import {
  getCoreRowModel,
  getSortedRowModel,
  useReactTable,
  type ColumnDef,
  type SortingState,
} from '@tanstack/react-table';
import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import type { UserOverview } from '../../../../shared/contract';
import { userCsvColumns, userCsvRow } from '../../../../shared/users-csv';
import { ErrorAlert } from '../../components/ErrorAlert';
import { toCsv } from '../../lib/csv';
import { downloadText } from '../../lib/download';
import { AddUserModal } from './AddUserModal';
import { formatDateTime, methodLabels, relativeTime } from './format';
import { ImportUsersModal } from './ImportUsersModal';
import { usersListQuery } from './queries';
import { usersFilterOf } from './users-filter';
import { roleLabels, statusLabels, TwoFactorStatusBadge } from './TwoFactorStatusBadge';
import { UserEmail, UserLink, UsersTable } from './UsersTable';

const columns: ColumnDef<UserOverview>[] = [
  {
    id: 'name',
    accessorKey: 'name',
    header: 'Name',
    cell: ({ row }) => <UserLink user={row.original} />,
  },
  {
    id: 'email',
    accessorKey: 'email',
    header: 'Email',
    cell: ({ row }) => <UserEmail user={row.original} />,
  },
  {
    id: 'role',
    accessorKey: 'role',
    header: 'Role',
    cell: ({ row }) => roleLabels[row.original.role],
  },
  {
    id: 'status',
    accessorFn: (u) => u.twoFactor.status,
    header: '2FA status',
    cell: ({ row }) => <TwoFactorStatusBadge status={row.original.twoFactor.status} />,
  },
  {
    id: 'lastMethod',
    accessorFn: (u) => u.twoFactor.lastMethod ?? '',
    header: 'Last method',
    cell: ({ row }) =>
      row.original.twoFactor.lastMethod ? methodLabels[row.original.twoFactor.lastMethod] : '—',
  },
  {
    id: 'lastVerifiedAt',
    accessorFn: (u) => u.twoFactor.lastVerifiedAt ?? '',
    header: 'Last verified',
    cell: ({ row }) => (
      <span title={formatDateTime(row.original.twoFactor.lastVerifiedAt)}>
        {relativeTime(row.original.twoFactor.lastVerifiedAt)}
      </span>
    ),
  },
  {
    id: 'failures',
    accessorFn: (u) => u.twoFactor.failuresLast7Days,
    header: 'Failures (7 d)',
    cell: ({ row }) => {
      const n = row.original.twoFactor.failuresLast7Days;
      return (
        <Text fz="sm" fw={n >= 5 ? 700 : 400} c={n >= 5 ? 'var(--mantine-color-error)' : undefined}>
          {n}
        </Text>
      );
    },
  },
  {
    id: 'backupCodesLeft',
    accessorFn: (u) => u.twoFactor.backupCodesLeft,
    header: 'Backup codes',
  },
];

const statusOptions = Object.entries(statusLabels).map(([value, label]) => ({ value, label }));
const roleOptions = Object.entries(roleLabels).map(([value, label]) => ({ value, label }));

/**
 * Every user's 2FA status: filter, search, sort, export what is shown. Filters live in the URL
 * and are applied by main (users.list); the table only sorts.
 */
export function UsersPage() {
  const [params, setParams] = useSearchParams();
  const search = params.get('q') ?? '';
  const status = params.get('status');
  const role = params.get('role');
  // Typing pauses before the search goes to main, not at every key.
  const [debouncedSearch] = useDebouncedValue(search, 200);
  const filter = usersFilterOf({ status, role, search: debouncedSearch });
  const users = useQuery({ ...usersListQuery(filter), placeholderData: keepPreviousData });
  // Everyone, for "of N": the same cache entry as the list when no filter is set.
  const everyone = useQuery(usersListQuery());
  const [sorting, setSorting] = useState<SortingState>([{ id: 'email', desc: false }]);
  const [dialog, setDialog] = useState<'add' | 'import' | null>(null);
  const setParam = (key: string, value: string | null) =>
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        if (value) next.set(key, value);
        else next.delete(key);
        return next;
      },
      { replace: true },
    );

  const data = useMemo(() => users.data?.users ?? [], [users.data]);
  const total = everyone.data?.users.length;
  // TanStack Table hands back functions that must not be memoised; the React Compiler lint knows.
  // eslint-disable-next-line react-hooks/incompatible-library
  const table = useReactTable({
    data,
    columns,
    state: { sorting },
    onSortingChange: setSorting,
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: getSortedRowModel(),
    getRowId: (row) => row.id,
  });
  const shown = table.getRowModel().rows;

  const exportCsv = () =>
    downloadText(
      `org2fa-users-${new Date().toISOString().slice(0, 10)}.csv`,
      toCsv(
        userCsvColumns,
        shown.map((row) => userCsvRow(row.original)),
      ),
      'text/csv;charset=utf-8',
    );

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end">
        <Stack gap={2}>
          <Title order={1}>Users</Title>
          <Text size="sm">
            {users.data && total !== undefined
              ? `Showing ${shown.length} of ${total} users`
              : 'Loading users…'}
          </Text>
        </Stack>
        <Group gap="sm">
          <Button
            variant="default"
            leftSection={<IconFileImport size={16} />}
            onClick={() => setDialog('import')}
          >
            Import CSV
          </Button>
          <Button leftSection={<IconUserPlus size={16} />} onClick={() => setDialog('add')}>
            Add user
          </Button>
        </Group>
      </Group>
      <Group gap="sm" align="flex-end">
        <TextInput
          label="Search"
          placeholder="Name or email"
          leftSection={<IconSearch size={16} />}
          value={search}
          onChange={(event) => setParam('q', event.currentTarget.value)}
          w={280}
        />
        <Select
          label="2FA status"
          placeholder="Any status"
          data={statusOptions}
          value={status}
          onChange={(v) => setParam('status', v)}
          clearable
          w={220}
        />
        <Select
          label="Role"
          placeholder="Any role"
          data={roleOptions}
          value={role}
          onChange={(v) => setParam('role', v)}
          clearable
          w={200}
        />
        <Button
          variant="default"
          leftSection={<IconDownload size={16} />}
          onClick={exportCsv}
          disabled={shown.length === 0}
        >
          Export view as CSV
        </Button>
      </Group>
      <ErrorAlert error={users.error} title="Users could not be loaded" />
      {total === 1 ? (
        <Alert variant="light" color="gray" title="Only you so far">
          Add people one by one or import a CSV file with the columns email, name, role.
        </Alert>
      ) : null}
      <UsersTable table={table} />
      <AddUserModal opened={dialog === 'add'} onClose={() => setDialog(null)} />
      <ImportUsersModal opened={dialog === 'import'} onClose={() => setDialog(null)} />
    </Stack>
  );
}
