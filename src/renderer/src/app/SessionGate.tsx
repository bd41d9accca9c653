import { Center, Loader } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Navigate, useLocation } from 'react-router';
import { bootstrapQuery, sessionQuery } from '../features/session/queries';
import { AppLayout } from './AppLayout';
import { CenteredCard } from '../components/CenteredCard';
import { ErrorAlert } from '../components/ErrorAlert';
import { SETUP_PATHS } from './navigation';

function FullPageLoader() {
  return (
    <Center component="main" mih="100vh" aria-busy="true">
      <Loader aria-label="Loading" />
    </Center>
  );
}

/** Sends people where their session belongs: first run, sign-in, the code step, setup, or the console. */
export function SessionGate() {
  const location = useLocation();
  const bootstrap = useQuery(bootstrapQuery());
  const session = useQuery(sessionQuery());

  const error = bootstrap.error ?? session.error;
  if (error) {
    return (
      <CenteredCard title="The console could not start">
        <ErrorAlert error={error} />
      </CenteredCard>
    );
  }
  if (!bootstrap.data || !session.data) return <FullPageLoader />;
  if (!bootstrap.data.orgExists) return <Navigate to="/first-run" replace />;
  const { state, user } = session.data;
  if (state === 'signed_out' || !user) return <Navigate to="/sign-in" replace />;
  if (state === 'second_factor_required') return <Navigate to="/verify" replace />;
  // Owing setup: every page but setup and account settings leads to setup. The router refuses
  // the calls anyway; this keeps people from seeing pages that cannot load.
  if (
    state === 'setup_required' &&
    !(SETUP_PATHS as readonly string[]).includes(location.pathname)
  ) {
    return <Navigate to="/setup" replace />;
  }
  return <AppLayout user={user} state={state} />;
}

/** The code step of sign-in, only while a code is owed. */
export function SecondFactorGate(props: { children: (email: string) => React.ReactNode }) {
  const session = useQuery(sessionQuery());
  if (!session.data) return <FullPageLoader />;
  if (session.data.state === 'signed_out') return <Navigate to="/sign-in" replace />;
  if (session.data.state !== 'second_factor_required' || !session.data.user)
    return <Navigate to="/" replace />;
  return <>{props.children(session.data.user.email)}</>;
}

/**
 * Pages for people who are not signed in (first run, sign-in); bounces those who are. Each page
 * decides itself whether the org's existence sends people elsewhere.
 */
export function SignedOutGate(props: { children: React.ReactNode }) {
  const bootstrap = useQuery(bootstrapQuery());
  const session = useQuery(sessionQuery());
  if (!bootstrap.data || !session.data) return <FullPageLoader />;
  if (session.data.state !== 'signed_out') return <Navigate to="/" replace />;
  return <>{props.children}</>;
}
