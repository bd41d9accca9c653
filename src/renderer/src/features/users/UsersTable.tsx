import { Anchor, Table, Text, UnstyledButton } from '@mantine/core';
import { IconArrowDown, IconArrowUp, IconArrowsSort } from '@tabler/icons-react';
import { flexRender, type Table as TableModel } from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useRef } from 'react';
import { Link } from 'react-router';
import type { UserOverview } from '../../../../shared/contract';
import { VisibleText } from '../../components/VisibleText';

const ROW_HEIGHT = 45;

/**
 * The users grid: sticky header with sortable columns, and only the rows in view rendered
 * (TanStack Virtual), so ten thousand users scroll as smoothly as ten.
 */
export function UsersTable(props: {
  table: TableModel<UserOverview>;
  /** Default: the page's height below the toolbar. */
  height?: number;
  label?: string;
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const rows = props.table.getRowModel().rows;
  // TanStack Virtual returns functions the React Compiler must not memoise; it knows and skips.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const padTop = items[0]?.start ?? 0;
  const padBottom = virtualizer.getTotalSize() - (items.at(-1)?.end ?? 0);
  const columnCount = props.table.getVisibleLeafColumns().length;

  return (
    <div
      ref={scrollRef}
      style={{ height: props.height ?? 'calc(100vh - 260px)', minHeight: 100, overflow: 'auto' }}
      tabIndex={0}
      role="region"
      aria-label={props.label ?? 'Users'}
    >
      <Table
        striped
        highlightOnHover
        stickyHeader
        verticalSpacing={10}
        aria-rowcount={rows.length + 1}
      >
        <Table.Thead>
          {props.table.getHeaderGroups().map((group) => (
            <Table.Tr key={group.id}>
              {group.headers.map((header) => {
                const sorted = header.column.getIsSorted();
                const Icon =
                  sorted === 'asc'
                    ? IconArrowUp
                    : sorted === 'desc'
                      ? IconArrowDown
                      : IconArrowsSort;
                return (
                  <Table.Th
                    key={header.id}
                    aria-sort={
                      sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : 'none'
                    }
                    style={{ whiteSpace: 'nowrap' }}
                  >
                    {header.column.getCanSort() ? (
                      <UnstyledButton
                        onClick={header.column.getToggleSortingHandler()}
                        fw={700}
                        fz="sm"
                      >
                        {flexRender(header.column.columnDef.header, header.getContext())}{' '}
                        <Icon size={13} aria-hidden style={{ verticalAlign: 'middle' }} />
                      </UnstyledButton>
                    ) : (
                      flexRender(header.column.columnDef.header, header.getContext())
                    )}
                  </Table.Th>
                );
              })}
            </Table.Tr>
          ))}
        </Table.Thead>
        <Table.Tbody>
          {padTop > 0 ? (
            <tr aria-hidden>
              <td colSpan={columnCount} style={{ height: padTop, padding: 0 }} />
            </tr>
          ) : null}
          {items.map((item) => {
            const row = rows[item.index]!;
            return (
              <Table.Tr
                key={row.id}
                data-index={item.index}
                aria-rowindex={item.index + 2}
                style={{ height: ROW_HEIGHT }}
              >
                {row.getVisibleCells().map((cell) => (
                  <Table.Td key={cell.id} style={{ whiteSpace: 'nowrap' }}>
                    {flexRender(cell.column.columnDef.cell, cell.getContext())}
                  </Table.Td>
                ))}
              </Table.Tr>
            );
          })}
          {padBottom > 0 ? (
            <tr aria-hidden>
              <td colSpan={columnCount} style={{ height: padBottom, padding: 0 }} />
            </tr>
          ) : null}
          {rows.length === 0 ? (
            <Table.Tr>
              <Table.Td colSpan={columnCount}>
                <Text py="xl" ta="center">
                  No users match these filters.
                </Text>
              </Table.Td>
            </Table.Tr>
          ) : null}
        </Table.Tbody>
      </Table>
    </div>
  );
}

/** The name cell: a real link, so keyboard and screen-reader users open a user like anyone else. */
export function UserLink(props: { user: UserOverview }) {
  return (
    <Anchor component={Link} to={`/users/${props.user.id}`} fw={600}>
      <VisibleText truncate maw={220}>
        {props.user.name}
      </VisibleText>
    </Anchor>
  );
}

/** The e-mail cell: hidden characters shown, a long address cut with all of it on hover. */
export function UserEmail(props: { user: UserOverview }) {
  return (
    <VisibleText truncate maw={260}>
      {props.user.email}
    </VisibleText>
  );
}
