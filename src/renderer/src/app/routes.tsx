import { createHashRouter } from 'react-router';
import { FirstRunPage } from '../features/first-run/FirstRunPage';
import { HomePage } from '../features/home/HomePage';
import { SignInPage } from '../features/sign-in/SignInPage';
import { SessionGate, SignedOutGate } from './SessionGate';

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
    path: '/',
    element: <SessionGate />,
    children: [{ index: true, element: <HomePage /> }],
  },
]);
