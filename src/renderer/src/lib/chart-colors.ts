/** Chart colours with readable contrast in both themes. */
export function chartColors(scheme: 'light' | 'dark') {
  return scheme === 'dark'
    ? {
        text: '#c9c9c9',
        grid: '#424242',
        tooltipBg: '#2e2e2e',
        success: '#51cf66',
        failed: '#ff8787',
        spike: '#fa5252',
        bar: '#91a7ff',
        marker: '#ffd43b',
      }
    : {
        text: '#343a40',
        grid: '#dee2e6',
        tooltipBg: '#ffffff',
        success: '#2f9e44',
        failed: '#fa5252',
        spike: '#a51111',
        bar: '#4263eb',
        marker: '#e8590c',
      };
}

export type ChartColors = ReturnType<typeof chartColors>;

/** Recharts Tooltip styling that follows the theme: one look for every chart's hover box. */
export function tooltipStyle(colors: ChartColors) {
  return {
    contentStyle: {
      background: colors.tooltipBg,
      border: `1px solid ${colors.grid}`,
      color: colors.text,
    },
    itemStyle: { color: colors.text },
    labelStyle: { color: colors.text },
  };
}

/** A vertical axis title, rotated along the axis and centred on it. */
export function verticalAxisLabel(value: string, colors: ChartColors) {
  return {
    value,
    angle: -90,
    position: 'insideLeft' as const,
    fill: colors.text,
    style: { textAnchor: 'middle' as const },
  };
}
