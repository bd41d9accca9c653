import { Badge, Table, Text, UnstyledButton } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef } from 'react';
import type { AuditEvent, AuditFilterInput } from '../../../../shared/contract';
import { ErrorAlert } from '../../components/ErrorAlert';
import { VisibleText } from '../../components/VisibleText';
import { detailsSummary, shortEventType } from '../../components/event-details';
import { auditEventsQuery } from './queries';

const ROW_HEIGHT = 40;

function outcomeOf(type: string): 'success' | 'failed' | null {
  return type.endsWith('.success') ? 'success' : type.endsWith('.failed') ? 'failed' : null;
}

/** The audit trail for the current filters: virtualized, fetching the next page as you scroll. */
export function EventsTable(props: {
  filter: AuditFilterInput;
  onOpen(event: AuditEvent): void;
  /** Filters whose refusal the filter inputs show, so the table does not repeat it. */
  errorFields?: readonly string[];
}) {
  const query = useInfiniteQuery(auditEventsQuery(props.filter));
  const events = query.data?.pages.flatMap((page) => page.events) ?? [];
  const scrollRef = useRef<HTMLDivElement>(null);
  // TanStack Virtual returns functions the React Compiler must not memoise; it knows and skips.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: events.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 15,
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.at(-1)?.index ?? 0;
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = query;
  useEffect(() => {
    if (hasNextPage && !isFetchingNextPage && lastIndex >= events.length - 20) void fetchNextPage();
  }, [lastIndex, events.length, hasNextPage, isFetchingNextPage, fetchNextPage]);
  const padTop = items[0]?.start ?? 0;
  const padBottom = virtualizer.getTotalSize() - (items.at(-1)?.end ?? 0);

  return (
    <>
      <ErrorAlert
        error={query.error}
        title="Events could not be loaded"
        fields={props.errorFields}
      />
      <Text size="sm" aria-live="polite">
        {query.isPending
          ? 'Loading events…'
          : `${events.length.toLocaleString()}${hasNextPage ? '+' : ''} events${
              !hasNextPage
                ? ''
                : isFetchingNextPage
                  ? props.filter.text
                    ? ' (searching older events…)'
                    : ' (loading more…)'
                  : ' (more load as you scroll)'
            }`}
      </Text>
      <div
        ref={scrollRef}
        style={{ height: 520, overflow: 'auto' }}
        role="region"
        aria-label="Audit events"
        tabIndex={0}
      >
        <Table striped highlightOnHover stickyHeader verticalSpacing={6} fz="sm" miw={1180}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Time</Table.Th>
              <Table.Th>Event</Table.Th>
              <Table.Th>User</Table.Th>
              <Table.Th>IP address</Table.Th>
              <Table.Th>Method</Table.Th>
              <Table.Th>Details</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {padTop > 0 ? (
              <tr aria-hidden>
                <td colSpan={6} style={{ height: padTop, padding: 0 }} />
              </tr>
            ) : null}
            {items.map((item) => {
              const e = events[item.index]!;
              const outcome = outcomeOf(e.type);
              return (
                <Table.Tr key={e.id} style={{ height: ROW_HEIGHT }}>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    <UnstyledButton
                      onClick={() => props.onOpen(e)}
                      fz="sm"
                      td="underline"
                      aria-label={`Open event ${e.id}`}
                    >
                      {new Date(e.timestamp).toLocaleString()}
                    </UnstyledButton>
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    {outcome ? (
                      <Badge
                        size="xs"
                        mr={6}
                        radius="sm"
                        variant="light"
                        color={outcome === 'success' ? 'green' : 'red'}
                      >
                        {outcome}
                      </Badge>
                    ) : null}
                    <Text span ff="monospace" fz="xs">
                      {shortEventType(e.type)}
                    </Text>
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    <VisibleText truncate maw={280} fallback="—">
                      {e.email}
                    </VisibleText>
                  </Table.Td>
                  <Table.Td ff="monospace" fz="xs" style={{ whiteSpace: 'nowrap' }}>
                    {e.ip ?? '—'}
                  </Table.Td>
                  <Table.Td>
                    {e.method === 'backup_code'
                      ? 'Backup code'
                      : e.method === 'totp'
                        ? 'Authenticator'
                        : '—'}
                  </Table.Td>
                  <Table.Td
                    fz="xs"
                    style={{
                      maxWidth: 320,
                      overflow: 'hidden',
                      textOverflow: 'ellipsis',
                      whiteSpace: 'nowrap',
                    }}
                  >
                    {e.truncated?.details ? (
                      <Badge size="xs" mr={6} radius="sm" variant="light" color="orange">
                        cut
                      </Badge>
                    ) : null}
                    <VisibleText truncate maw={320}>
                      {detailsSummary(e)}
                    </VisibleText>
                  </Table.Td>
                </Table.Tr>
              );
            })}
            {padBottom > 0 ? (
              <tr aria-hidden>
                <td colSpan={6} style={{ height: padBottom, padding: 0 }} />
              </tr>
            ) : null}
            {query.data && events.length === 0 ? (
              <Table.Tr>
                <Table.Td colSpan={6}>
                  <Text ta="center" py="xl">
                    No events match these filters.
                  </Text>
                </Table.Td>
              </Table.Tr>
            ) : null}
          </Table.Tbody>
        </Table>
      </div>
    </>
  );
}
