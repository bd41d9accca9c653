import { Badge } from '@mantine/core';
import type { UserOverview } from '../../../../shared/contract';

type Status = UserOverview['twoFactor']['status'];

export const statusLabels: Record<Status, string> = {
  enrolled: 'Enrolled',
  not_enrolled: 'Not enrolled',
  inactive: 'Inactive (org 2FA off)',
  locked: 'Locked',
};

const colors: Record<Status, string> = {
  enrolled: 'green',
  not_enrolled: 'orange',
  inactive: 'gray',
  locked: 'red',
};

export function TwoFactorStatusBadge(props: { status: Status }) {
  return (
    <Badge
      color={colors[props.status]}
      variant="light"
      radius="sm"
      tt="none"
      fz="sm"
      style={{ overflow: 'visible' }}
      // Never cut to "Not enr…" when a long name or e-mail crowds the row: the status is the point.
      styles={{ label: { overflow: 'visible' } }}
    >
      {statusLabels[props.status]}
    </Badge>
  );
}

export const roleLabels = {
  member: 'Member',
  site_admin: 'Site Admin',
  enterprise_admin: 'Enterprise Admin',
} as const;
