import { Center, Paper, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';

/** The frame of the pages shown before sign-in: one card, centred, with a title. */
export function CenteredCard(props: { title: string; subtitle?: ReactNode; children: ReactNode }) {
  return (
    <Center component="main" mih="100vh" p="md">
      <Paper withBorder shadow="sm" radius="md" p="xl" w="100%" maw={440}>
        <Stack gap="lg">
          <Stack gap={4}>
            <Text size="sm" fw={600} c="var(--org2fa-eyebrow)" tt="uppercase">
              Org 2FA Console
            </Text>
            <Title order={1} size="h2">
              {props.title}
            </Title>
            {props.subtitle ? <Text size="sm">{props.subtitle}</Text> : null}
          </Stack>
          {props.children}
        </Stack>
      </Paper>
    </Center>
  );
}
