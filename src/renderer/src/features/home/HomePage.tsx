import { Badge, Card, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { isAdminRole } from '../../../../shared/domain';
import { VisibleText } from '../../components/VisibleText';
import { bootstrapQuery, sessionQuery } from '../session/queries';

/** Where a signed-in user lands: who they are and which organization this console runs. */
export function HomePage() {
  const session = useQuery(sessionQuery());
  const bootstrap = useQuery(bootstrapQuery());
  const user = session.data?.user;
  if (!user) return null;

  return (
    <Stack gap="lg">
      <Title order={1}>
        Welcome, <VisibleText>{user.name}</VisibleText>
      </Title>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Card withBorder padding="lg">
          <Stack gap="xs">
            <Title order={2} size="h4">
              Organization
            </Title>
            <Text size="lg" fw={600}>
              <VisibleText>{bootstrap.data?.orgName}</VisibleText>
            </Text>
          </Stack>
        </Card>
        <Card withBorder padding="lg">
          <Stack gap="xs">
            <Title order={2} size="h4">
              Your account
            </Title>
            <Group gap="xs">
              <Text fw={600}>
                <VisibleText>{user.email}</VisibleText>
              </Text>
              <Badge variant="light" color={isAdminRole(user.role) ? 'indigo' : 'gray'}>
                {user.role.replace('_', ' ')}
              </Badge>
            </Group>
          </Stack>
        </Card>
      </SimpleGrid>
    </Stack>
  );
}
