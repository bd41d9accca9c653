import {
  Card,
  Group,
  RingProgress,
  Stack,
  Text,
  Title,
  useComputedColorScheme,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import {
  Area,
  AreaChart,
  CartesianGrid,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { CallOutput } from '../../../../shared/contract';
import { localDateOf } from '../../../../shared/rollout';
import { ErrorAlert } from '../../components/ErrorAlert';
import { chartColors, tooltipStyle, verticalAxisLabel } from '../../lib/chart-colors';
import { adoptionHistoryQuery } from './queries';

function nextDay(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}

function shortDate(date: string) {
  return new Date(`${date}T12:00:00`).toLocaleDateString(undefined, {
    month: 'short',
    day: 'numeric',
  });
}

/** "Monitor adoption": enrolled of all active users now, and enrollment over time from the trail. */
export function AdoptionCard(props: { status: CallOutput<'rollout.get'> }) {
  const { enrolled, total } = props.status.adoption;
  const history = useQuery(adoptionHistoryQuery());
  const colors = chartColors(useComputedColorScheme('light'));
  const markerLabel = (value: string, position: 'insideTopLeft' | 'insideTopRight') => ({
    value,
    fill: colors.text,
    fontSize: 11,
    position,
  });
  const percent = total === 0 ? 0 : Math.round((enrolled / total) * 100);
  const past: Array<{ date: string; enrolled: number | null }> = history.data?.points ?? [];
  // Days still to come, up to the enforcement date, so the deadline is on the chart.
  const future: Array<{ date: string; enrolled: null }> = [];
  const last = past.at(-1)?.date;
  if (last && props.status.enforcementDate)
    for (let day = nextDay(last); day <= props.status.enforcementDate; day = nextDay(day))
      future.push({ date: day, enrolled: null });
  const points = [...past, ...future].map((p) => ({ ...p, label: shortDate(p.date) }));
  const announced = props.status.announcedAt
    ? shortDate(localDateOf(Date.parse(props.status.announcedAt)))
    : null;
  const enforced = props.status.enforcementDate ? shortDate(props.status.enforcementDate) : null;
  const labels = new Set(points.map((p) => p.label));
  return (
    <Card withBorder padding="lg">
      <Stack gap="md">
        <Title order={2} size="h4">
          Adoption
        </Title>
        <Group gap="xl" align="center">
          <RingProgress
            size={120}
            thickness={12}
            roundCaps
            sections={[{ value: percent, color: 'teal' }]}
            label={
              <Text ta="center" fw={700} size="lg">
                {percent}%
              </Text>
            }
            aria-label={`${percent}% of users have 2FA set up`}
          />
          <Stack gap={2}>
            <Text size="xl" fw={700}>
              {enrolled.toLocaleString()} of {total.toLocaleString()}
            </Text>
            <Text size="sm">active users have two-factor authentication set up</Text>
            <Text size="sm">{(total - enrolled).toLocaleString()} still to go</Text>
          </Stack>
        </Group>
        <ErrorAlert error={history.error} title="Enrollment history unavailable" />
        <div style={{ height: 240 }} data-testid="adoption-chart">
          <ResponsiveContainer>
            <AreaChart data={points} margin={{ top: 20, right: 16, bottom: 24, left: 8 }}>
              <CartesianGrid strokeDasharray="3 3" stroke={colors.grid} vertical={false} />
              <XAxis
                dataKey="label"
                tick={{ fill: colors.text, fontSize: 11 }}
                minTickGap={24}
                label={{ value: 'Day', position: 'insideBottom', offset: -16, fill: colors.text }}
              />
              <YAxis
                tick={{ fill: colors.text, fontSize: 11 }}
                allowDecimals={false}
                domain={[0, Math.max(total, 1)]}
                label={verticalAxisLabel('Users enrolled', colors)}
              />
              <Tooltip {...tooltipStyle(colors)} />
              <ReferenceLine
                y={total}
                stroke={colors.text}
                strokeDasharray="4 4"
                label={markerLabel('All users', 'insideTopLeft')}
              />
              {announced && labels.has(announced) ? (
                <ReferenceLine
                  x={announced}
                  stroke={colors.marker}
                  label={markerLabel('Announced', 'insideTopRight')}
                />
              ) : null}
              {enforced && labels.has(enforced) ? (
                <ReferenceLine
                  x={enforced}
                  stroke={colors.marker}
                  label={markerLabel('Required from', 'insideTopRight')}
                />
              ) : null}
              <Area
                type="stepAfter"
                dataKey="enrolled"
                name="Users enrolled"
                stroke={colors.bar}
                fill={colors.bar}
                fillOpacity={0.25}
                isAnimationActive={false}
              />
            </AreaChart>
          </ResponsiveContainer>
        </div>
      </Stack>
    </Card>
  );
}
