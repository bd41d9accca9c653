import {
  ActionIcon,
  Button,
  Chip,
  Group,
  MultiSelect,
  SegmentedControl,
  Select,
  Stack,
  TextInput,
  Tooltip,
} from '@mantine/core';
import { DatePickerInput } from '@mantine/dates';
import { IconAlertTriangle, IconFilterOff, IconRefresh, IconSearch } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { auditEventTypes, VERIFY_FAILED } from '../../../../shared/audit-events';
import type { AuditFilterInput } from '../../../../shared/contract';
import { VisibleText } from '../../components/VisibleText';
import { shortEventType } from '../../components/event-details';
import { countryLabel } from './findings';
import {
  filterMethods,
  filterOutcomes,
  rangePresets,
  type AuditView,
  type FilterMethod,
  type FilterOutcome,
  type RangePreset,
} from './audit-filters';

const typeOptions = auditEventTypes.map((value) => ({
  value,
  label: shortEventType(value),
}));
const methodLabels: Record<FilterMethod, string> = {
  totp: 'Authenticator code',
  backup_code: 'Backup code',
};
const outcomeLabels: Record<FilterOutcome, string> = { success: 'Success', failure: 'Failure' };
const weekdays = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** A text filter applied when typing pauses, not at every key. */
function DebouncedInput(props: {
  label: string;
  placeholder: string;
  value: string | undefined;
  onCommit(value: string | undefined): void;
  w: number;
  error?: string;
}) {
  // Remounted (by key) when the committed value changes elsewhere, e.g. a chart click.
  const [draft, setDraft] = useState(props.value ?? '');
  useEffect(() => {
    if ((props.value ?? '') === draft) return;
    const timer = setTimeout(() => props.onCommit(draft.trim() || undefined), 400);
    return () => clearTimeout(timer);
  });
  return (
    <TextInput
      label={props.label}
      placeholder={props.placeholder}
      value={draft}
      onChange={(event) => setDraft(event.currentTarget.value)}
      w={props.w}
      error={props.error}
    />
  );
}

/** The filters with an input of their own, where main's refusal of them is shown. */
export const filterInputFields = ['email', 'ip', 'text'] as const;

export function AuditFilters(props: {
  view: AuditView;
  update(change: Partial<AuditFilterInput> & { range?: RangePreset }): void;
  replaceAll(range: RangePreset, filter: AuditFilterInput): void;
  refresh(): void;
  /** What main refused in the filters (from `error.details`), shown on their inputs. */
  fieldErrors?: Record<string, string>;
}) {
  const { view, update } = props;
  const f = view.filter;
  const errors = props.fieldErrors ?? {};
  const failedOnly = f.types?.length === 1 && f.types[0] === VERIFY_FAILED && !f.outcome;
  return (
    <Stack gap="sm">
      <Group gap="sm">
        <Button
          variant={failedOnly ? 'filled' : 'light'}
          color="red"
          leftSection={<IconAlertTriangle size={16} />}
          onClick={() =>
            props.replaceAll(
              view.range,
              view.range === 'custom'
                ? { types: [VERIFY_FAILED], since: f.since, until: f.until }
                : { types: [VERIFY_FAILED] },
            )
          }
        >
          Failed 2FA attempts
        </Button>
        <Button
          variant="default"
          leftSection={<IconFilterOff size={16} />}
          onClick={() => props.replaceAll('30d', {})}
        >
          Clear filters
        </Button>
        <Tooltip label="Load the newest events">
          <ActionIcon variant="default" size="lg" aria-label="Refresh" onClick={props.refresh}>
            <IconRefresh size={18} />
          </ActionIcon>
        </Tooltip>
      </Group>
      <Group gap="sm" align="flex-end">
        <Select
          label="Time range"
          data={Object.entries(rangePresets).map(([value, { label }]) => ({ value, label }))}
          value={view.range}
          onChange={(value) => value && update({ range: value as RangePreset })}
          allowDeselect={false}
          w={170}
        />
        {view.range === 'custom' ? (
          <DatePickerInput
            type="range"
            label="From – to"
            placeholder="Pick dates"
            value={[
              f.since ? new Date(f.since) : null,
              f.until ? new Date(Date.parse(f.until) - 1) : null,
            ]}
            onChange={([from, to]) => {
              if (!from || !to) return;
              const start = new Date(from);
              const end = new Date(to);
              end.setHours(24, 0, 0, 0);
              start.setHours(0, 0, 0, 0);
              update({ since: start.toISOString(), until: end.toISOString() });
            }}
            w={260}
          />
        ) : null}
        <MultiSelect
          label="Event types"
          placeholder={f.types?.length ? undefined : 'All types'}
          data={typeOptions}
          value={f.types ?? []}
          onChange={(types) => update({ types: types.length ? types : undefined })}
          searchable
          clearable
          w={340}
        />
        <SegmentedControl
          aria-label="Outcome"
          data={[
            { value: 'any', label: 'Any outcome' },
            ...filterOutcomes.map((value) => ({ value, label: outcomeLabels[value] })),
          ]}
          value={f.outcome ?? 'any'}
          onChange={(value) =>
            update({ outcome: value === 'any' ? undefined : (value as FilterOutcome) })
          }
        />
      </Group>
      <Group gap="sm" align="flex-end">
        <DebouncedInput
          key={`email-${f.email ?? ''}`}
          label="User email"
          placeholder="ada@acme.test"
          value={f.email}
          onCommit={(email) => update({ email })}
          w={220}
          error={errors.email}
        />
        <DebouncedInput
          key={`ip-${f.ip ?? ''}`}
          label="IP address or CIDR"
          placeholder="203.0.113.0/24"
          value={f.ip}
          onCommit={(ip) => update({ ip })}
          w={200}
          error={errors.ip}
        />
        <Select
          label="Method"
          placeholder="Any method"
          data={filterMethods.map((value) => ({ value, label: methodLabels[value] }))}
          value={f.method ?? null}
          onChange={(value) => update({ method: (value as FilterMethod | null) ?? undefined })}
          clearable
          w={190}
        />
        <TextInput
          label="Text in user agent or details"
          leftSection={<IconSearch size={16} />}
          placeholder="python-requests"
          defaultValue={f.text}
          key={f.text ?? ''}
          error={errors.text}
          onBlur={(event) => update({ text: event.currentTarget.value.trim() || undefined })}
          onKeyDown={(event) => {
            if (event.key === 'Enter')
              update({ text: event.currentTarget.value.trim() || undefined });
          }}
          w={240}
        />
      </Group>
      {f.userId || f.country || f.unresolved || f.weekday !== undefined || f.hour !== undefined ? (
        <Group gap="xs">
          {f.country ? (
            <Chip checked onChange={() => update({ country: undefined })} variant="light">
              Country: {countryLabel(f.country)} ✕
            </Chip>
          ) : null}
          {f.userId ? (
            <Chip checked onChange={() => update({ userId: undefined })} variant="light">
              User <VisibleText>{f.userId.slice(0, 8)}</VisibleText>… ✕
            </Chip>
          ) : null}
          {f.unresolved ? (
            <Chip checked onChange={() => update({ unresolved: undefined })} variant="light">
              Not followed by a success (no typos) ✕
            </Chip>
          ) : null}
          {f.weekday !== undefined || f.hour !== undefined ? (
            <Chip
              checked
              onChange={() =>
                update({ weekday: undefined, hour: undefined, tzOffsetMinutes: undefined })
              }
              variant="light"
            >
              {f.weekday !== undefined ? weekdays[f.weekday] : 'Any day'}
              {f.hour !== undefined
                ? ` ${String(f.hour).padStart(2, '0')}:00–${String(f.hour).padStart(2, '0')}:59`
                : ''}{' '}
              ✕
            </Chip>
          ) : null}
        </Group>
      ) : null}
    </Stack>
  );
}
