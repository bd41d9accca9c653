import { Alert } from '@mantine/core';
import { IconLock } from '@tabler/icons-react';
import { formatSeconds, useCountdown } from '../hooks/useCountdown';

/**
 * A lockout with its remaining time, counting down; or, when only an admin can lift it, says so.
 * `untilMs` null with `needsAdmin` false renders nothing.
 */
export function LockoutAlert(props: { untilMs: number | null; needsAdmin?: boolean }) {
  const seconds = useCountdown(props.untilMs);
  if (props.needsAdmin) {
    return (
      <Alert color="red" variant="light" icon={<IconLock />} title="Locked" role="alert">
        Too many failed attempts. An administrator must unlock this account before you can sign in
        again.
      </Alert>
    );
  }
  if (seconds <= 0) return null;
  return (
    <Alert
      color="orange"
      variant="light"
      icon={<IconLock />}
      title="Too many failed attempts"
      role="alert"
    >
      For your security, wait <strong>{formatSeconds(seconds)}</strong> before trying again.
    </Alert>
  );
}
