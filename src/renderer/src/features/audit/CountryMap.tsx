import {
  Anchor,
  Box,
  Collapse,
  Group,
  Paper,
  Grid,
  Stack,
  Table,
  Text,
  Title,
  UnstyledButton,
  useComputedColorScheme,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { geoEqualEarth, geoPath } from 'd3-geo';
import { useId, useMemo, useState, type KeyboardEvent } from 'react';
import { ErrorAlert } from '../../components/ErrorAlert';
import { countryLabel, countryName } from './findings';
import { countriesQuery, type TimeRange } from './queries';
import { classLabel, classOf, failureScale, mapColors } from './world-map';
import { worldShapes } from './world-shapes';

const WIDTH = 960;
const HEIGHT = 420;
const n = (x: number) => x.toLocaleString('en');

// Antarctica left out: nobody signs in from there, and it would take a fifth of the height.
const drawn = worldShapes.filter((shape) => shape.code !== 'AQ');
const projection = geoEqualEarth().fitExtent(
  [
    [4, 4],
    [WIDTH - 4, HEIGHT - 4],
  ],
  { type: 'FeatureCollection', features: drawn.map((shape) => shape.feature) },
);
const pathOf = geoPath(projection);
/** The outlines, projected once: they never change, only their colours do. */
const outlines = drawn.map((shape) => ({ code: shape.code, d: pathOf(shape.feature) ?? '' }));

type Counts = { success: number; failed: number };

const countsText = (code: string, counts: Counts) =>
  `${countryLabel(code)}: ${n(counts.failed)} failed, ${n(counts.success)} successful verifications`;

/**
 * Failed and successful verifications by the country of their address (offline geo data), on
 * an offline world map coloured by failures; a country (on the map or in the list) filters the
 * events to it. The list and the table say in words what the colours say.
 */
export function CountryMap(props: {
  range: TimeRange;
  selected: string | undefined;
  onSelect(country: string): void;
}) {
  const countries = useQuery(countriesQuery(props.range));
  const scheme = useComputedColorScheme('light');
  const colors = mapColors(scheme);
  const [hovered, setHovered] = useState<string | null>(null);
  const [tableOpen, setTableOpen] = useState(false);
  const titleId = useId();
  const tableId = useId();

  const byCode = useMemo(
    () => new Map((countries.data?.countries ?? []).map((c) => [c.country, c])),
    [countries.data],
  );
  const rows = countries.data?.countries ?? [];
  const maxFailed = Math.max(0, ...rows.map((c) => c.failed));
  const scale = failureScale(maxFailed, scheme);
  const total = rows.reduce((sum, c) => sum + c.success + c.failed, 0);
  const internal = countries.data?.internal ?? { success: 0, failed: 0 };
  const unknown = countries.data?.unknown ?? { success: 0, failed: 0 };
  const readout = hovered ?? props.selected;
  const readoutCounts = readout ? byCode.get(readout) : undefined;

  const activate = (event: KeyboardEvent, code: string) => {
    if (event.key !== 'Enter' && event.key !== ' ') return;
    event.preventDefault();
    props.onSelect(code);
  };

  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby={titleId}>
      <Stack gap="xs">
        <Title order={2} size="h4" id={titleId}>
          Verifications by country
        </Title>
        <Text size="sm">
          Where the addresses of verifications are, from offline geo data. Darker countries had more
          failed verifications; click one to see its events.
        </Text>
        <ErrorAlert error={countries.error} title="Unavailable" />
        {countries.data &&
        total + internal.success + internal.failed + unknown.success + unknown.failed === 0 ? (
          <Text size="sm">No verifications in this period.</Text>
        ) : null}
        <Grid gap="lg">
          <Grid.Col span={{ base: 12, lg: 8 }} data-testid="country-map">
            <Box
              component="svg"
              viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
              role="group"
              aria-label="World map of failed verifications by country"
              style={{
                width: '100%',
                height: 'auto',
                display: 'block',
                background: colors.sea,
                borderRadius: 4,
              }}
              onMouseLeave={() => setHovered(null)}
            >
              {outlines.map((outline, i) => {
                const counts = outline.code ? byCode.get(outline.code) : undefined;
                const fill = counts
                  ? (classOf(scale, counts.failed)?.color ?? colors.none)
                  : colors.none;
                const selected = outline.code !== null && outline.code === props.selected;
                if (!counts || !outline.code)
                  return (
                    <path
                      key={i}
                      d={outline.d}
                      fill={fill}
                      stroke={colors.border}
                      strokeWidth={0.5}
                      aria-hidden
                    />
                  );
                const code = outline.code;
                return (
                  <path
                    key={i}
                    d={outline.d}
                    fill={fill}
                    stroke={selected || hovered === code ? colors.selected : colors.border}
                    strokeWidth={selected ? 2 : hovered === code ? 1.5 : 0.5}
                    role="button"
                    tabIndex={0}
                    aria-label={`${countsText(code, counts)}. Show its events.`}
                    aria-pressed={selected}
                    data-country={code}
                    style={{ cursor: 'pointer', outlineOffset: -2 }}
                    onClick={() => props.onSelect(code)}
                    onKeyDown={(event) => activate(event, code)}
                    onMouseEnter={() => setHovered(code)}
                    onFocus={() => setHovered(code)}
                    onBlur={() => setHovered(null)}
                  >
                    <title>{countsText(code, counts)}</title>
                  </path>
                );
              })}
            </Box>
            <Group justify="space-between" align="flex-start" gap="xs">
              <Legend scale={scale} none={colors.none} />
              <Text size="xs" mih={18} aria-hidden>
                {readout && readoutCounts ? countsText(readout, readoutCounts) : ''}
              </Text>
            </Group>
          </Grid.Col>
          <Grid.Col span={{ base: 12, lg: 4 }}>
            <Stack gap={6}>
              <Text size="sm" fw={700}>
                Most failures
              </Text>
              {rows.length === 0 && countries.data ? (
                <Text size="sm">No address in this period has a known country.</Text>
              ) : null}
              <Stack gap={2} role="list" aria-label="Countries with the most failed verifications">
                {rows.slice(0, 8).map((row) => (
                  <div key={row.country} role="listitem">
                    <UnstyledButton
                      aria-label={`${countsText(row.country, row)}. Show its events.`}
                      aria-pressed={row.country === props.selected}
                      onClick={() => props.onSelect(row.country)}
                      px={6}
                      py={3}
                      w="100%"
                      style={{
                        borderRadius: 4,
                        background:
                          row.country === props.selected
                            ? 'var(--mantine-color-default-hover)'
                            : undefined,
                      }}
                    >
                      <Group gap="xs" wrap="nowrap" justify="space-between">
                        <Group gap="xs" wrap="nowrap" miw={0}>
                          <Swatch color={classOf(scale, row.failed)?.color ?? colors.none} />
                          <Text size="sm" truncate>
                            {countryName(row.country)}{' '}
                            <Text span size="xs" c="dimmed">
                              {row.country}
                            </Text>
                          </Text>
                        </Group>
                        <Text size="sm" ff="monospace" style={{ whiteSpace: 'nowrap' }}>
                          {n(row.failed)} / {n(row.success)}
                        </Text>
                      </Group>
                    </UnstyledButton>
                  </div>
                ))}
              </Stack>
              {rows.length ? (
                <Text size="xs" c="dimmed">
                  failed / successful
                </Text>
              ) : null}
              <Stack gap={0} mt={4}>
                <Text size="xs">
                  Internal addresses (offices, VPN, private ranges): {n(internal.failed)} failed,{' '}
                  {n(internal.success)} successful
                </Text>
                <Text size="xs">
                  Unknown location: {n(unknown.failed)} failed, {n(unknown.success)} successful
                </Text>
              </Stack>
              {rows.length ? (
                <Anchor
                  component="button"
                  type="button"
                  size="xs"
                  aria-expanded={tableOpen}
                  aria-controls={tableId}
                  onClick={() => setTableOpen((open) => !open)}
                  style={{ alignSelf: 'flex-start' }}
                >
                  {tableOpen ? 'Hide the table' : `All ${rows.length} countries as a table`}
                </Anchor>
              ) : null}
            </Stack>
          </Grid.Col>
        </Grid>
        <Collapse expanded={tableOpen} id={tableId}>
          <Table striped withTableBorder fz="sm" captionSide="top">
            <Table.Caption>Verifications by country in this period</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Country</Table.Th>
                <Table.Th ta="right">Failed</Table.Th>
                <Table.Th ta="right">Successful</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((row) => (
                <Table.Tr key={row.country}>
                  <Table.Td>
                    <Anchor
                      component="button"
                      type="button"
                      size="sm"
                      onClick={() => props.onSelect(row.country)}
                    >
                      {countryLabel(row.country)}
                    </Anchor>
                  </Table.Td>
                  <Table.Td ta="right">{n(row.failed)}</Table.Td>
                  <Table.Td ta="right">{n(row.success)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Collapse>
      </Stack>
    </Paper>
  );
}

function Swatch(props: { color: string }) {
  return (
    <Box
      aria-hidden
      w={12}
      h={12}
      style={{
        flex: 'none',
        background: props.color,
        borderRadius: 2,
        border: '1px solid var(--mantine-color-default-border)',
      }}
    />
  );
}

/** The scale in words: its label, each class's range of failures beside its colour, and none. */
function Legend(props: { scale: ReturnType<typeof failureScale>; none: string }) {
  const labelId = useId();
  return (
    <Stack gap={4}>
      <Text size="xs" fw={700} id={labelId}>
        Failed verifications per country
      </Text>
      <Group gap="sm" style={{ rowGap: 4 }} role="list" aria-labelledby={labelId}>
        <Group gap={4} wrap="nowrap" role="listitem">
          <Swatch color={props.none} />
          <Text size="xs">None</Text>
        </Group>
        {props.scale.map((c) => (
          <Group key={c.min} gap={4} wrap="nowrap" role="listitem">
            <Swatch color={c.color} />
            <Text size="xs">{classLabel(c)}</Text>
          </Group>
        ))}
      </Group>
    </Stack>
  );
}
