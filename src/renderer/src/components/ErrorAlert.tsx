import { Alert } from '@mantine/core';
import { IconAlertCircle } from '@tabler/icons-react';
import { errorNotOnFields, isApiError } from '../api/api-error';
import { VisibleText } from './VisibleText';

/**
 * Shows a failed call's message, or nothing. `fields` names the inputs the form shows errors
 * beside (from `error.details`): an error wholly shown there is not repeated here.
 */
export function ErrorAlert(props: { error: unknown; title?: string; fields?: readonly string[] }) {
  const error = errorNotOnFields(props.error, props.fields ?? []);
  if (!error) return null;
  const message = isApiError(error)
    ? error.message
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
