import {
  IconHome,
  IconListDetails,
  IconRocket,
  IconShieldLock,
  IconSettings,
  IconUserCircle,
  IconUsers,
  type Icon,
} from '@tabler/icons-react';
import type { SessionState, SessionUser } from '../../../shared/domain';
import { isAdminRole } from '../../../shared/domain';

export interface NavItem {
  to: string;
  label: string;
  icon: Icon;
}

/** While setup is required, only these pages exist (the guide: setup, account settings, logout). */
export const SETUP_PATHS = ['/setup', '/account'] as const;

/** The navigation a user sees: everything their role allows, or only setup while it is owed. */
export function navigationFor(state: SessionState, user: SessionUser): NavItem[] {
  if (state === 'setup_required') {
    return [
      { to: '/setup', label: 'Two-factor setup', icon: IconShieldLock },
      { to: '/account', label: 'Account settings', icon: IconUserCircle },
    ];
  }
  const items: NavItem[] = [
    { to: '/', label: 'Home', icon: IconHome },
    { to: '/account', label: 'Account settings', icon: IconUserCircle },
  ];
  if (isAdminRole(user.role)) {
    items.push(
      { to: '/users', label: 'Users', icon: IconUsers },
      { to: '/audit', label: 'Audit', icon: IconListDetails },
      { to: '/rollout', label: 'Rollout', icon: IconRocket },
      { to: '/settings/security', label: 'Settings · Security', icon: IconSettings },
    );
  }
  return items;
}
