import { PasswordInput } from '@mantine/core';
import { CodeField } from './CodeField';

/** The proof a sensitive action asks for: a current code, or the password when 2FA is off. */
export function ProofField(props: {
  method: 'code' | 'password';
  value: string;
  error?: string;
  onChange(value: string): void;
}) {
  if (props.method === 'password') {
    return (
      <PasswordInput
        label="Your password"
        description="Confirm it is you."
        autoComplete="current-password"
        required
        value={props.value}
        error={props.error}
        onChange={(event) => props.onChange(event.currentTarget.value)}
        data-autofocus
      />
    );
  }
  return (
    <CodeField
      label="Your authentication code"
      description="Confirm it is you with a current code from your authenticator app (or a backup code)."
      value={props.value}
      error={props.error}
      onChange={(event) => props.onChange(event.currentTarget.value)}
      data-autofocus
    />
  );
}

/** The proof as the contract takes it. */
export function proofInput(method: 'code' | 'password', value: string) {
  if (!value.trim()) return {};
  return method === 'code' ? { code: value.trim() } : { currentPassword: value };
}
