import { Paper, Stack, Text, Title, useComputedColorScheme } from '@mantine/core';
import { ResponsiveHeatMap } from '@nivo/heatmap';
import { useQuery } from '@tanstack/react-query';
import { ErrorAlert } from '../../components/ErrorAlert';
import { heatmapQuery, type TimeRange } from './queries';

const weekdays = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** Failed verifications by weekday and hour, in this computer's time zone; a cell filters the table. */
export function FailureHeatmap(props: {
  range: TimeRange;
  tzOffsetMinutes: number;
  onSelect(weekday: number, hour: number): void;
}) {
  const heatmap = useQuery(heatmapQuery(props.range, props.tzOffsetMinutes));
  const dark = useComputedColorScheme('light') === 'dark';
  const data = weekdays.map((day, weekday) => ({
    id: day,
    data: Array.from({ length: 24 }, (_, hour) => ({
      x: String(hour).padStart(2, '0'),
      y: heatmap.data?.cells.find((c) => c.weekday === weekday && c.hour === hour)?.failures ?? 0,
    })),
  }));
  const text = dark ? '#c9c9c9' : '#343a40';
  return (
    <Paper withBorder p="md" radius="md">
      <Stack gap="xs">
        <Title order={2} size="h4">
          Failures by weekday and hour
        </Title>
        <Text size="sm">
          Local time. Darker cells had more failed verifications; click one to see them.
        </Text>
        <ErrorAlert error={heatmap.error} title="Unavailable" />
        <div style={{ height: 250 }} data-testid="heatmap-chart">
          <ResponsiveHeatMap
            data={data}
            margin={{ top: 24, right: 10, bottom: 30, left: 44 }}
            animate={false}
            axisTop={null}
            axisBottom={{
              tickSize: 0,
              tickPadding: 6,
              tickValues: ['00', '03', '06', '09', '12', '15', '18', '21'],
              legend: 'Hour of day',
              legendPosition: 'middle',
              legendOffset: 24,
            }}
            axisLeft={{
              tickSize: 0,
              tickPadding: 6,
              legend: 'Weekday',
              legendPosition: 'middle',
              legendOffset: -38,
            }}
            colors={{ type: 'sequential', scheme: 'reds' }}
            emptyColor={dark ? '#2e2e2e' : '#f8f9fa'}
            enableLabels={false}
            borderWidth={1}
            borderColor={dark ? '#242424' : '#ffffff'}
            theme={{
              text: { fill: text },
              axis: {
                legend: { text: { fill: text } },
                ticks: { text: { fill: text, fontSize: 10 } },
              },
              tooltip: { container: { background: dark ? '#2e2e2e' : '#fff', color: text } },
            }}
            onClick={(cell) =>
              props.onSelect(weekdays.indexOf(String(cell.serieId)), Number(cell.data.x))
            }
          />
        </div>
      </Stack>
    </Paper>
  );
}
