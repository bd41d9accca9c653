import { Paper, Stack, Text, Title, useComputedColorScheme } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { visibleText } from '../../../../shared/text-safety';
import { ErrorAlert } from '../../components/ErrorAlert';
import { chartColors, tooltipStyle } from '../../lib/chart-colors';
import { topQuery, type TimeRange } from './queries';

const titles = {
  user: 'Top users by failures',
  ip: 'Top addresses by failures',
  network: 'Top networks by failures',
} as const;

/** The users, addresses or networks with the most failed verifications; a bar filters the table. */
export function TopChart(props: {
  range: TimeRange;
  by: 'user' | 'ip' | 'network';
  onSelect(key: string, label: string): void;
}) {
  const top = useQuery(topQuery(props.range, props.by));
  const colors = chartColors(useComputedColorScheme('light'));
  const rows = top.data?.rows ?? [];
  return (
    <Paper withBorder p="md" radius="md">
      <Stack gap="xs">
        <Title order={2} size="h4">
          {titles[props.by]}
        </Title>
        <ErrorAlert error={top.error} title="Unavailable" />
        {top.data && rows.length === 0 ? (
          <Text size="sm">No failed verifications in this period.</Text>
        ) : null}
        <div style={{ height: 260 }} data-testid={`top-${props.by}-chart`}>
          <ResponsiveContainer>
            <BarChart
              data={rows}
              layout="vertical"
              margin={{ top: 4, right: 28, bottom: 20, left: 8 }}
            >
              <CartesianGrid strokeDasharray="3 3" stroke={colors.grid} horizontal={false} />
              <XAxis
                type="number"
                allowDecimals={false}
                tick={{ fill: colors.text, fontSize: 11 }}
                label={{
                  value: 'Failed verifications',
                  position: 'insideBottom',
                  offset: -12,
                  fill: colors.text,
                }}
              />
              <YAxis
                type="category"
                dataKey="label"
                width={230}
                // SVG text cannot hold markup: hidden characters written out, then cut.
                tickFormatter={(value: string) => {
                  const shown = visibleText(value);
                  return shown.length > 32 ? `${shown.slice(0, 31)}…` : shown;
                }}
                tick={{ fill: colors.text, fontSize: 11 }}
              />
              <Tooltip
                {...tooltipStyle(colors)}
                labelFormatter={(label) => visibleText(String(label))}
              />
              <Bar
                dataKey="failures"
                name="Failures"
                fill={colors.bar}
                isAnimationActive={false}
                cursor="pointer"
                onClick={(_, index) => {
                  const row = rows[index];
                  if (row) props.onSelect(row.key, row.label);
                }}
              />
            </BarChart>
          </ResponsiveContainer>
        </div>
      </Stack>
    </Paper>
  );
}
