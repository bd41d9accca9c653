import { describe, expect, it } from 'vitest';
import type { SessionUser } from '../../../shared/domain';
import { navigationFor, SETUP_PATHS } from './navigation';

const user = (role: SessionUser['role']) =>
  ({ id: 'u1', email: 'a@acme.test', name: 'A', role }) as SessionUser;
const paths = (items: { to: string }[]) => items.map((item) => item.to);

describe('navigationFor', () => {
  it('offers only setup and account settings while setup is owed, admins included', () => {
    for (const role of ['member', 'site_admin', 'enterprise_admin'] as const)
      expect(paths(navigationFor('setup_required', user(role)))).toEqual([...SETUP_PATHS]);
  });

  it('gives members their own pages only', () => {
    expect(paths(navigationFor('signed_in', user('member')))).toEqual(['/', '/account']);
  });

  it('gives both admin roles users, audit, rollout and security settings', () => {
    for (const role of ['site_admin', 'enterprise_admin'] as const)
      expect(paths(navigationFor('signed_in', user(role)))).toEqual([
        '/',
        '/account',
        '/users',
        '/audit',
        '/rollout',
        '/settings/security',
      ]);
  });
});
