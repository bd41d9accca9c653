import { Center, Loader } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Navigate } from 'react-router';
import { bootstrapQuery, sessionQuery } from '../features/session/queries';
import { AppLayout } from './AppLayout';
import { CenteredCard } from './CenteredCard';
import { ErrorAlert } from './ErrorAlert';

function FullPageLoader() {
  return (
    <Center component="main" mih="100vh" aria-busy="true">
      <Loader aria-label="Loading" />
    </Center>
  );
}

/** Sends people where their session belongs: first run, sign-in, or the console itself. */
export function SessionGate() {
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
  if (session.data.state === 'signed_out' || !session.data.user)
    return <Navigate to="/sign-in" replace />;
  return <AppLayout user={session.data.user} />;
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
