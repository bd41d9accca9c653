import { createHashRouter } from 'react-router';
import { FirstRunPage } from '../features/first-run/FirstRunPage';
import { HomePage } from '../features/home/HomePage';
import { NotFoundPage } from './NotFoundPage';
import { SignInPage } from '../features/sign-in/SignInPage';
import { AccountPage } from '../features/account/AccountPage';
import { AuditPage } from '../features/audit/AuditPage';
import { ReportPage } from '../features/audit/ReportPage';
import { RolloutPage } from '../features/rollout/RolloutPage';
import { SecuritySettingsPage } from '../features/org-settings/SecuritySettingsPage';
import { TwoFactorSetupPage } from '../features/two-factor/TwoFactorSetupPage';
import { UserDetailPage } from '../features/users/UserDetailPage';
import { UsersPage } from '../features/users/UsersPage';
import { VerifyPage } from '../features/verify/VerifyPage';
import { AdminOnly } from './AdminOnly';
import { SecondFactorGate, SessionGate, SignedOutGate } from './SessionGate';

/** Hash routing: the same build works from file:// under Electron and from the web host. */
export const router = createHashRouter([
  {
    path: '/first-run',
    element: (
      <SignedOutGate>
        <FirstRunPage />
      </SignedOutGate>
    ),
  },
  {
    path: '/sign-in',
    element: (
      <SignedOutGate>
        <SignInPage />
      </SignedOutGate>
    ),
  },
  {
    path: '/verify',
    element: <SecondFactorGate>{(email) => <VerifyPage email={email} />}</SecondFactorGate>,
  },
  {
    path: '/',
    element: <SessionGate />,
    children: [
      { index: true, element: <HomePage /> },
      { path: 'setup', element: <TwoFactorSetupPage /> },
      { path: 'account', element: <AccountPage /> },
      {
        path: 'settings/security',
        element: (
          <AdminOnly>
            <SecuritySettingsPage />
          </AdminOnly>
        ),
      },
      {
        path: 'users',
        element: (
          <AdminOnly>
            <UsersPage />
          </AdminOnly>
        ),
      },
      {
        path: 'users/:userId',
        element: (
          <AdminOnly>
            <UserDetailPage />
          </AdminOnly>
        ),
      },
      {
        path: 'rollout',
        element: (
          <AdminOnly>
            <RolloutPage />
          </AdminOnly>
        ),
      },
      {
        path: 'audit',
        element: (
          <AdminOnly>
            <AuditPage />
          </AdminOnly>
        ),
      },
      {
        path: 'audit/report',
        element: (
          <AdminOnly>
            <ReportPage />
          </AdminOnly>
        ),
      },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);
