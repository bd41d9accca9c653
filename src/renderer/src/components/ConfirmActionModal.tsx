import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import { ErrorAlert } from './ErrorAlert';
import { proofFieldNames } from '../api/api-error';
import type { ProofCall } from '../features/session/proof-policy';
import { useProofNeeded } from '../features/session/reauth';
import { ProofField, proofInput } from './ProofField';

export type Proof = ReturnType<typeof proofInput>;

/**
 * Confirms a sensitive admin action, asking for a proof of identity when the contract's proof
 * level for `call` makes one due. The caller runs the action with the proof and reports its error.
 */
export function ConfirmActionModal(props: {
  opened: boolean;
  title: ReactNode;
  children: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  /** The call confirmed: its contract entry says which proof it needs. */
  call: ProofCall;
  pending: boolean;
  /** The action cannot be confirmed yet (what it acts on is still being looked up, or missing). */
  confirmDisabled?: boolean;
  error: unknown;
  onConfirm(proof: Proof): void;
  onClose(): void;
}) {
  const proof = useProofNeeded(props.call, props.error);
  const [value, setValue] = useState('');
  const [missing, setMissing] = useState(false);
  const close = () => {
    setValue('');
    setMissing(false);
    props.onClose();
  };
  return (
    <Modal opened={props.opened} onClose={close} title={props.title} centered>
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          if (props.confirmDisabled) return;
          if (proof.needed && !value.trim()) {
            setMissing(true);
            return;
          }
          props.onConfirm(proof.needed ? proofInput(proof.method, value) : {});
          setValue('');
          void proof.refresh();
        }}
      >
        <Stack gap="md">
          {typeof props.children === 'string' ? (
            <Text size="sm">{props.children}</Text>
          ) : (
            props.children
          )}
          {proof.needed ? (
            <ProofField
              method={proof.method}
              value={value}
              error={
                missing
                  ? proof.method === 'code'
                    ? 'Enter a code'
                    : 'Enter your password'
                  : proof.fieldError
              }
              onChange={(next) => {
                setValue(next);
                setMissing(false);
              }}
            />
          ) : null}
          <ErrorAlert error={props.error} title="Not done" fields={proofFieldNames} />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button
              type="submit"
              color={props.danger ? 'red' : undefined}
              loading={props.pending || !proof.known}
              disabled={props.confirmDisabled}
            >
              {props.confirmLabel}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
