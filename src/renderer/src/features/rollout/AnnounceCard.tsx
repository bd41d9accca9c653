import { Alert, Badge, Button, Card, Group, Stack, Text, Textarea, Title } from '@mantine/core';
import { DatePickerInput } from '@mantine/dates';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import type { CallOutput } from '../../../../shared/contract';
import { daysBetween, longDate, MIN_NOTICE_DAYS } from '../../../../shared/rollout';
import { fieldErrorsOf, proofFieldNames } from '../../api/api-error';
import { ErrorAlert } from '../../components/ErrorAlert';
import { ProofField, proofInput } from '../../components/ProofField';
import { useProofNeeded } from '../session/reauth';
import { useAnnounce } from './queries';

type Status = CallOutput<'rollout.get'>;

function plusDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** The inputs that show main's refusals beside them. */
const announceFields = ['enforcementDate', 'override.reason', ...proofFieldNames];

/**
 * Phase 2: the announcement was sent today, with this enforcement date. Less than 14 days'
 * notice needs a written reason, which the audit trail keeps (the router enforces it too).
 */
export function AnnounceCard(props: { status: Status }) {
  const { status } = props;
  const announce = useAnnounce();
  const proof = useProofNeeded('rollout.announce', announce.error);
  const [proofValue, setProofValue] = useState('');
  const [editing, setEditing] = useState(false);
  const [date, setDate] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const notice = date ? daysBetween(status.today, date) : null;
  const short = notice !== null && notice < MIN_NOTICE_DAYS;
  const announced = status.enforcementDate !== null && status.phase === 'communicate';
  const showForm = status.enabled && !status.required && (!announced || editing);
  const fieldErrors = fieldErrorsOf(announce.error);

  const submit = () => {
    if (!date) return;
    announce.mutate(
      {
        enforcementDate: date,
        ...(short ? { override: { reason } } : {}),
        ...proofInput(proof.method, proofValue),
      },
      {
        onSuccess: (next) => {
          void proof.refresh();
          setProofValue('');
          setEditing(false);
          setDate(null);
          setReason('');
          notifications.show({
            color: 'green',
            title: 'Announcement recorded',
            message: `2FA will be required from ${longDate(next.enforcementDate!)}. You will be asked to confirm on that day.`,
          });
        },
      },
    );
  };

  return (
    <Card withBorder padding="lg">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={2} size="h4">
            Phase 2: Communicate
          </Title>
          <Badge
            color={status.phase === 'require' ? 'green' : announced ? 'blue' : 'gray'}
            variant="light"
          >
            {status.phase === 'require' ? 'Done' : announced ? 'Announced' : 'To do'}
          </Badge>
        </Group>
        <Text size="sm">
          Announce to all users that 2FA will be required, with at least two weeks&apos; notice;
          share the setup guide and offer help (Q&amp;A sessions). Send the message below, then
          record here when you sent it and the date it takes effect.
        </Text>
        {announced && status.announcedAt && status.enforcementDate ? (
          <Alert color="blue" title={`Required from ${longDate(status.enforcementDate)}`}>
            <Stack gap={4}>
              <Text size="sm">
                Announced {new Date(status.announcedAt).toLocaleDateString()} · {status.noticeDays}{' '}
                days&apos; notice · {Math.max(0, daysBetween(status.today, status.enforcementDate))}{' '}
                days left
              </Text>
              {status.overrideReason ? (
                <Text size="sm">Shorter notice because: {status.overrideReason}</Text>
              ) : null}
              {editing ? null : (
                <Group>
                  <Button size="xs" variant="default" onClick={() => setEditing(true)}>
                    Change the date
                  </Button>
                </Group>
              )}
            </Stack>
          </Alert>
        ) : null}
        {!status.enabled ? (
          <Text size="sm" c="dimmed">
            Enable two-factor authentication first, so people can set it up before the date.
          </Text>
        ) : null}
        {showForm ? (
          <form
            noValidate
            onSubmit={(event) => {
              event.preventDefault();
              submit();
            }}
          >
            <Stack gap="sm" maw={520}>
              <DatePickerInput
                label="Enforcement date"
                description={`From this day users without 2FA are taken to setup. At least ${MIN_NOTICE_DAYS} days from today: ${longDate(plusDays(status.today, MIN_NOTICE_DAYS))} or later.`}
                placeholder="Pick a date"
                value={date}
                onChange={(value) => setDate(value)}
                error={fieldErrors.enforcementDate}
                minDate={plusDays(status.today, 1)}
                valueFormat="dddd, MMMM D, YYYY"
                clearable
              />
              {notice !== null ? (
                <Text size="sm">
                  {notice} {notice === 1 ? 'day' : 'days'} of notice from today.
                </Text>
              ) : null}
              {short ? (
                <>
                  <Alert color="orange" title={`Less than ${MIN_NOTICE_DAYS} days' notice`}>
                    The guide asks for at least two weeks. To go ahead anyway, say why; the reason
                    is kept in the audit trail.
                  </Alert>
                  <Textarea
                    label="Reason for shorter notice"
                    autosize
                    minRows={2}
                    value={reason}
                    onChange={(event) => setReason(event.currentTarget.value)}
                    error={fieldErrors['override.reason']}
                  />
                </>
              ) : null}
              {proof.needed ? (
                <ProofField
                  method={proof.method}
                  value={proofValue}
                  error={proof.fieldError}
                  onChange={setProofValue}
                />
              ) : null}
              <ErrorAlert error={announce.error} title="Not recorded" fields={announceFields} />
              <Group>
                <Button type="submit" disabled={!date} loading={announce.isPending || !proof.known}>
                  {short ? 'Record with shorter notice' : 'Record announcement'}
                </Button>
                {editing ? (
                  <Button variant="default" onClick={() => setEditing(false)}>
                    Cancel
                  </Button>
                ) : null}
              </Group>
            </Stack>
          </form>
        ) : null}
      </Stack>
    </Card>
  );
}
