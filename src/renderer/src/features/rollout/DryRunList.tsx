import { List, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { ErrorAlert } from '../../components/ErrorAlert';
import { VisibleText } from '../../components/VisibleText';
import { rolloutPreviewQuery } from './queries';

/** The dry run: who Require would send to the setup page at their next sign-in, if on now. */
export function DryRunList(props: { limit?: number }) {
  const preview = useQuery(rolloutPreviewQuery());
  const limit = props.limit ?? 10;
  if (preview.error)
    return <ErrorAlert error={preview.error} title="Could not list the users affected" />;
  if (!preview.data) return <Text size="sm">Counting the users affected…</Text>;
  const users = preview.data.wouldBeRedirected;
  if (users.length === 0)
    return (
      <Text size="sm">
        Dry run: everyone the requirement applies to has 2FA set up; nobody would be redirected.
      </Text>
    );
  return (
    <Stack gap={4}>
      <Text size="sm" fw={700}>
        Dry run: {users.length === 1 ? '1 user' : `${users.length} users`} would be sent to the
        setup page at their next sign-in:
      </Text>
      <List size="sm" spacing={0} aria-label="Users who would be redirected to setup">
        {users.slice(0, limit).map((u) => (
          <List.Item key={u.id}>
            <VisibleText>{u.name}</VisibleText> (<VisibleText>{u.email}</VisibleText>)
          </List.Item>
        ))}
      </List>
      {users.length > limit ? (
        <Text size="sm">…and {users.length - limit} more (listed under Adoption below).</Text>
      ) : null}
    </Stack>
  );
}
