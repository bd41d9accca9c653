import { Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { VisibleText } from '../../components/VisibleText';
import { sessionQuery } from '../session/queries';
import { PasswordCard } from './PasswordCard';
import { TwoFactorCard } from './TwoFactorCard';

/** Account Settings: the user's own 2FA and password. Open even while setup is required. */
export function AccountPage() {
  const session = useQuery(sessionQuery());
  const user = session.data?.user;
  if (!user) return null;
  return (
    <Stack gap="lg" maw={760}>
      <Stack gap={2}>
        <Title order={1}>Account settings</Title>
        <Text>
          <VisibleText>{user.name}</VisibleText> · <VisibleText>{user.email}</VisibleText>
        </Text>
      </Stack>
      <TwoFactorCard user={user} />
      <PasswordCard />
    </Stack>
  );
}
