import { Alert } from '@mantine/core';
import { IconAlertCircle } from '@tabler/icons-react';
import { isApiError } from '../api/api-error';
import { VisibleText } from './VisibleText';

/** Shows a failed call's message, or nothing. */
export function ErrorAlert(props: { error: unknown; title?: string }) {
  if (!props.error) return null;
  const message = isApiError(props.error)
    ? props.error.message
    : 'Something went wrong. Try again; if it keeps failing, restart the console.';
  return (
    <Alert
      color="red"
      variant="light"
      title={props.title ?? 'Could not complete that'}
      icon={<IconAlertCircle />}
      role="alert"
    >
      {/* Messages may quote what was sent (a file's line, a name): shown as it really is. */}
      <VisibleText multiline>{message}</VisibleText>
    </Alert>
  );
}
