import { AppShell, Avatar, Group, Menu, NavLink, Text, UnstyledButton } from '@mantine/core';
import { IconLogout } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { NavLink as RouterNavLink, Outlet, useNavigate } from 'react-router';
import { isAdminRole, type SessionState, type SessionUser } from '../../../shared/domain';
import { AccountNotices } from '../features/account/AccountNotices';
import { EnforcementDueModal } from '../features/rollout/EnforcementDueModal';
import { bootstrapQuery, useSignOut } from '../features/session/queries';
import { ColorSchemeToggle } from './ColorSchemeToggle';
import { navigationFor } from './navigation';

const roleLabels: Record<SessionUser['role'], string> = {
  member: 'Member',
  site_admin: 'Site Admin',
  enterprise_admin: 'Enterprise Admin',
};

/** The signed-in frame: header with org, theme and account menu; navigation; the page. */
export function AppLayout(props: { user: SessionUser; state: SessionState }) {
  const navigate = useNavigate();
  const bootstrap = useQuery(bootstrapQuery());
  const signOut = useSignOut();

  return (
    <AppShell header={{ height: 60 }} navbar={{ width: 230, breakpoint: 'sm' }} padding="lg">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between">
          <Group gap="xs">
            <Text fw={700}>Org 2FA Console</Text>
            {bootstrap.data?.orgName ? <Text>· {bootstrap.data.orgName}</Text> : null}
          </Group>
          <Group gap="sm">
            <ColorSchemeToggle />
            <Menu position="bottom-end" width={240}>
              <Menu.Target>
                <UnstyledButton aria-label={`Account menu for ${props.user.name}`}>
                  <Group gap="xs">
                    <Avatar radius="xl" size="sm" color="indigo" name={props.user.name} />
                    <Text size="sm" fw={500}>
                      {props.user.name}
                    </Text>
                  </Group>
                </UnstyledButton>
              </Menu.Target>
              <Menu.Dropdown>
                <Menu.Label>
                  {props.user.email} · {roleLabels[props.user.role]}
                </Menu.Label>
                <Menu.Item
                  leftSection={<IconLogout size={16} />}
                  onClick={() =>
                    signOut.mutate(undefined, {
                      onSuccess: () => navigate('/sign-in', { replace: true }),
                    })
                  }
                >
                  Sign out
                </Menu.Item>
              </Menu.Dropdown>
            </Menu>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="sm" aria-label="Main navigation">
        {navigationFor(props.state, props.user).map((item) => (
          <NavLink
            key={item.to}
            component={RouterNavLink}
            to={item.to}
            end={item.to === '/'}
            label={item.label}
            leftSection={<item.icon size={18} />}
          />
        ))}
      </AppShell.Navbar>
      <AppShell.Main>
        <AccountNotices />
        <Outlet />
        {props.state === 'signed_in' && isAdminRole(props.user.role) ? (
          <EnforcementDueModal />
        ) : null}
      </AppShell.Main>
    </AppShell>
  );
}
