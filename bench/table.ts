export interface Row {
  measure: string;
  product: number;
  reference: number | null;
  /** product / reference. */
  ratio: number | null;
  goal: string;
  met: boolean | null;
}

function figure(value: number | null): string {
  if (value === null) return '–';
  if (Number.isInteger(value)) return value.toLocaleString('en');
  return value < 10 ? value.toFixed(2) : value.toFixed(1);
}

/** A plain-text table that reads the same in a terminal and pasted into the README. */
export function printTable(rows: Row[]): void {
  const header = ['measure', 'product', 'reference', 'product/ref', 'goal', 'met'];
  const cells = rows.map((r) => [
    r.measure,
    figure(r.product),
    figure(r.reference),
    r.ratio === null ? '–' : `${r.ratio.toFixed(2)}x`,
    r.goal,
    r.met === null ? '' : r.met ? 'yes' : 'NO',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) =>
    `| ${c.map((v, i) => (i === 0 || i === 4 ? v.padEnd(widths[i]!) : v.padStart(widths[i]!))).join(' | ')} |`;
  console.log(line(header));
  console.log(
    `|${widths.map((w, i) => (i === 0 || i === 4 ? ':' : '-') + '-'.repeat(w) + (i === 0 || i === 4 ? '-' : ':')).join('|')}|`,
  );
  for (const c of cells) console.log(line(c));
}
