import { TextInput, type TextInputProps } from '@mantine/core';

/** Where a 6-digit code or a backup code is typed; both go in the same field. */
export function CodeField(props: TextInputProps & { allowBackupCode?: boolean }) {
  const { allowBackupCode = true, ...rest } = props;
  return (
    <TextInput
      label={allowBackupCode ? 'Authentication code' : '6-digit code'}
      description={
        allowBackupCode
          ? 'The 6-digit code from your authenticator app, or one of your backup codes.'
          : 'The code your authenticator app shows now.'
      }
      placeholder={allowBackupCode ? '123456 or XXXX-XXXX-XXXX-XXXX' : '123456'}
      autoComplete="one-time-code"
      inputMode={allowBackupCode ? 'text' : 'numeric'}
      spellCheck={false}
      styles={{
        input: { fontFamily: 'var(--mantine-font-family-monospace)', letterSpacing: '0.05em' },
      }}
      required
      {...rest}
    />
  );
}
