import { AppShell, Avatar, Group, Menu, NavLink, Text, UnstyledButton } from '@mantine/core';
import { IconInfoCircle, IconLogout } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { NavLink as RouterNavLink, Outlet, useNavigate } from 'react-router';
import { isAdminRole, type SessionState, type SessionUser } from '../../../shared/domain';
import { visibleText, withoutHiddenCharacters } from '../../../shared/text-safety';
import { VisibleText } from '../components/VisibleText';
import { AccountNotices } from '../features/account/AccountNotices';
import { AboutDialog } from '../features/geo/AboutDialog';
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
  const [aboutOpen, setAboutOpen] = useState(false);
  const isAdmin = props.state === 'signed_in' && isAdminRole(props.user.role);

  return (
    <AppShell header={{ height: 60 }} navbar={{ width: 230, breakpoint: 'sm' }} padding="lg">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between">
          <Group gap="xs" wrap="nowrap" miw={0}>
            <Text fw={700} style={{ whiteSpace: 'nowrap' }}>
              Org 2FA Console
            </Text>
            {bootstrap.data?.orgName ? (
              <Text>
                ·{' '}
                <VisibleText truncate maw={360}>
                  {bootstrap.data.orgName}
                </VisibleText>
              </Text>
            ) : null}
          </Group>
          <Group gap="sm" wrap="nowrap">
            <ColorSchemeToggle />
            <Menu position="bottom-end" width={240}>
              <Menu.Target>
                <UnstyledButton aria-label={`Account menu for ${visibleText(props.user.name)}`}>
                  <Group gap="xs" wrap="nowrap">
                    <Avatar
                      radius="xl"
                      size="sm"
                      color="indigo"
                      name={withoutHiddenCharacters(props.user.name)}
                    />
                    <Text size="sm" fw={500}>
                      <VisibleText truncate maw={220}>
                        {props.user.name}
                      </VisibleText>
                    </Text>
                  </Group>
                </UnstyledButton>
              </Menu.Target>
              <Menu.Dropdown>
                <Menu.Label>
                  <VisibleText>{props.user.email}</VisibleText> · {roleLabels[props.user.role]}
                </Menu.Label>
                <Menu.Item
                  leftSection={<IconInfoCircle size={16} />}
                  onClick={() => setAboutOpen(true)}
                >
                  About
                </Menu.Item>
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
        {isAdmin ? <EnforcementDueModal /> : null}
        <AboutDialog opened={aboutOpen} isAdmin={isAdmin} onClose={() => setAboutOpen(false)} />
      </AppShell.Main>
    </AppShell>
  );
}
