import { Button, Menu, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconChevronDown, IconShieldCheck } from '@tabler/icons-react';
import { useState } from 'react';
import { ConfirmActionModal } from '../../components/ConfirmActionModal';
import { useTrustNetwork } from './queries';

/**
 * A finding's "Trust network": adds its network block or one of its autonomous systems to the
 * org's trusted networks (detections.trustNetwork), which never make a location finding. With
 * more than one to choose from, a menu asks which.
 */
export function TrustNetworkButton(props: { options: Array<{ value: string; label: string }> }) {
  const [chosen, setChosen] = useState<string | null>(null);
  const [label, setLabel] = useState('');
  const trust = useTrustNetwork();
  const close = () => {
    trust.reset();
    setChosen(null);
    setLabel('');
  };
  if (props.options.length === 0) return null;
  const button = (onClick?: () => void) => (
    <Button
      size="xs"
      variant="light"
      leftSection={<IconShieldCheck size={14} />}
      rightSection={props.options.length > 1 ? <IconChevronDown size={14} /> : undefined}
      onClick={onClick}
    >
      Trust network
    </Button>
  );
  return (
    <>
      {props.options.length === 1 ? (
        button(() => setChosen(props.options[0]!.value))
      ) : (
        <Menu position="bottom-end" withinPortal>
          <Menu.Target>{button()}</Menu.Target>
          <Menu.Dropdown>
            {props.options.map((option) => (
              <Menu.Item key={option.value} onClick={() => setChosen(option.value)}>
                {option.label}
              </Menu.Item>
            ))}
          </Menu.Dropdown>
        </Menu>
      )}
      {/* Mounted only while open: nothing of it runs for the findings nobody acts on. */}
      {chosen !== null ? (
        <ConfirmActionModal
          opened
          title={`Trust ${chosen}?`}
          confirmLabel="Trust"
          call="detections.trustNetwork"
          pending={trust.isPending}
          error={trust.error}
          onClose={close}
          onConfirm={(proof) => {
            if (!chosen) return;
            const value = chosen;
            trust.mutate(
              { value, label: label.trim(), ...proof },
              {
                onSuccess: () => {
                  close();
                  notifications.show({
                    color: 'green',
                    message: `${value} is trusted: it no longer raises location findings.`,
                  });
                },
              },
            );
          }}
        >
          <Text size="sm">
            Verifications from {chosen} will no longer raise new-country, new-network or travel
            findings. Trust only the org’s own networks: its offices and its VPN’s exits.
          </Text>
          <TextInput
            label="Label"
            description="What this network is, for the list of trusted networks"
            placeholder="Office VPN"
            value={label}
            maxLength={200}
            onChange={(event) => setLabel(event.currentTarget.value)}
          />
        </ConfirmActionModal>
      ) : null}
    </>
  );
}
