import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import { IconShieldExclamation } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import type { AccountNotice } from '../../../../shared/domain';
import { ErrorAlert } from '../../components/ErrorAlert';
import { VisibleText } from '../../components/VisibleText';
import { noticesQuery, useDismissNotice } from './queries';

const titles: Record<AccountNotice['kind'], string> = {
  two_factor_reset: 'An admin reset your two-factor authentication',
  two_factor_turned_off: 'An admin turned off two-factor authentication for the organization',
};

function explanation(notice: AccountNotice): ReactNode {
  const when = new Date(notice.at).toLocaleString();
  return (
    <>
      <VisibleText>{notice.byName}</VisibleText> (<VisibleText>{notice.byEmail}</VisibleText>){' '}
      {notice.kind === 'two_factor_reset'
        ? `reset it on ${when}. Your authenticator codes and backup codes no longer work; ` +
          'set up two-factor authentication again. If you did not ask for this, tell your ' +
          'security team now.'
        : `turned it off on ${when}. You are no longer asked for a code when you sign in. ` +
          'If you did not expect this, tell your security team.'}
    </>
  );
}

/**
 * Tells the signed-in user what an admin did to their account, on every page (setup included),
 * until they dismiss it: a reset they did not ask for must not go unnoticed.
 */
export function AccountNotices() {
  const notices = useQuery(noticesQuery());
  const dismiss = useDismissNotice();
  if (!notices.data?.notices.length) return null;
  return (
    <Stack gap="sm" mb="lg">
      {notices.data.notices.map((notice) => (
        <Alert
          key={notice.id}
          color="orange"
          variant="light"
          title={titles[notice.kind]}
          icon={<IconShieldExclamation />}
          role="status"
        >
          <Text size="sm">{explanation(notice)}</Text>
          <Group gap="sm" mt="sm">
            {notice.kind === 'two_factor_reset' ? (
              <Button component={Link} to="/setup" size="xs" variant="light">
                Set up two-factor authentication
              </Button>
            ) : null}
            <Button
              size="xs"
              variant="default"
              loading={dismiss.isPending && dismiss.variables === notice.id}
              onClick={() => dismiss.mutate(notice.id)}
            >
              Dismiss
            </Button>
          </Group>
        </Alert>
      ))}
      <ErrorAlert error={dismiss.error} title="Could not dismiss the notice" />
    </Stack>
  );
}
