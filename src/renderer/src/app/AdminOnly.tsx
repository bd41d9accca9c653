import { Alert } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { isAdminRole } from '../../../shared/domain';
import { sessionQuery } from '../features/session/queries';

/** Admin pages for non-admins: a plain explanation (the router refuses their calls regardless). */
export function AdminOnly(props: { children: ReactNode }) {
  const session = useQuery(sessionQuery());
  const user = session.data?.user;
  if (!user) return null;
  if (!isAdminRole(user.role)) {
    return (
      <Alert color="gray" variant="light" title="Administrators only" maw={640}>
        This page is for Site Admins and Enterprise Admins. Ask one of them if you need a change
        here.
      </Alert>
    );
  }
  return <>{props.children}</>;
}
