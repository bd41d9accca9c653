import {
  Group,
  Paper,
  SegmentedControl,
  Stack,
  Text,
  Title,
  useComputedColorScheme,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Cell,
  Legend,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { ErrorAlert } from '../../components/ErrorAlert';
import { timelineQuery, type TimeRange } from './queries';
import { chartColors, tooltipStyle, verticalAxisLabel } from '../../lib/chart-colors';

function bucketLabel(iso: string, bucket: 'hour' | 'day') {
  const date = new Date(iso);
  return bucket === 'day'
    ? date.toLocaleDateString(undefined, { month: 'short', day: 'numeric' })
    : date.toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit' });
}

/** Successful and failed verifications per hour or day, spikes in a stronger red; a bar filters the table. */
export function TimelineChart(props: {
  range: TimeRange;
  bucket: 'hour' | 'day';
  onBucketChange(bucket: 'hour' | 'day'): void;
  onSelect(since: string, until: string): void;
}) {
  const timeline = useQuery(timelineQuery(props.range, props.bucket));
  const colors = chartColors(useComputedColorScheme('light'));
  const bucketMs = props.bucket === 'hour' ? 3_600_000 : 86_400_000;
  const data = (timeline.data?.buckets ?? []).map((b) => ({
    ...b,
    label: bucketLabel(b.start, props.bucket),
  }));
  const spikes = data.filter((b) => b.spike).length;
  /** A click on either part of a bar narrows the filters to that bucket's time range. */
  const selectBucket = (index: number) => {
    const bucket = data[index];
    if (bucket)
      props.onSelect(bucket.start, new Date(Date.parse(bucket.start) + bucketMs).toISOString());
  };

  return (
    <Paper withBorder p="md" radius="md">
      <Stack gap="xs">
        <Group justify="space-between">
          <Stack gap={0}>
            <Title order={2} size="h4">
              Verifications over time
            </Title>
            <Text size="sm">
              {spikes > 0
                ? `${spikes} spike${spikes > 1 ? 's' : ''} of failures (darker red). `
                : ''}
              Click a bar to see its events.
            </Text>
          </Stack>
          <SegmentedControl
            size="xs"
            aria-label="Bucket size"
            data={[
              { value: 'hour', label: 'Hourly' },
              { value: 'day', label: 'Daily' },
            ]}
            value={props.bucket}
            onChange={(value) => props.onBucketChange(value as 'hour' | 'day')}
          />
        </Group>
        <ErrorAlert error={timeline.error} title="Timeline unavailable" />
        <div style={{ height: 260 }} data-testid="timeline-chart">
          <ResponsiveContainer>
            <BarChart data={data} margin={{ top: 8, right: 8, bottom: 24, left: 8 }}>
              <CartesianGrid strokeDasharray="3 3" stroke={colors.grid} vertical={false} />
              <XAxis
                dataKey="label"
                tick={{ fill: colors.text, fontSize: 11 }}
                minTickGap={24}
                label={{
                  value: props.bucket === 'hour' ? 'Hour' : 'Day',
                  position: 'insideBottom',
                  offset: -16,
                  fill: colors.text,
                }}
              />
              <YAxis
                tick={{ fill: colors.text, fontSize: 11 }}
                allowDecimals={false}
                label={verticalAxisLabel('Verifications', colors)}
              />
              <Tooltip {...tooltipStyle(colors)} />
              <Legend verticalAlign="top" height={24} wrapperStyle={{ color: colors.text }} />
              <Bar
                dataKey="success"
                name="Successful"
                stackId="v"
                fill={colors.success}
                isAnimationActive={false}
                cursor="pointer"
                onClick={(_, index) => selectBucket(index)}
              />
              <Bar
                dataKey="failed"
                name="Failed"
                stackId="v"
                fill={colors.failed}
                isAnimationActive={false}
                cursor="pointer"
                onClick={(_, index) => selectBucket(index)}
              >
                {data.map((b) => (
                  <Cell key={b.start} fill={b.spike ? colors.spike : colors.failed} />
                ))}
              </Bar>
            </BarChart>
          </ResponsiveContainer>
        </div>
      </Stack>
    </Paper>
  );
}
