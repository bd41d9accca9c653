/**
 * A progress line for long CLI work: redrawn in place on a terminal, a line per tenth otherwise
 * (so logs stay short). Written to stderr, keeping stdout for results.
 */
export function terminalProgress(
  stream: NodeJS.WritableStream & { isTTY?: boolean },
  label: string,
  unit: 'items' | 'bytes' = 'items',
) {
  let lastTenth = -1;
  let lastPhase: string | undefined;
  const show = (n: number) =>
    unit === 'bytes' ? `${(n / 1048576).toFixed(1)} MB` : n.toLocaleString('en-US');
  return {
    update(done: number, total: number | null, phase?: string) {
      const what = phase ? `${label} (${phase})` : label;
      const counts = `${show(done)}${total ? ` / ${show(total)}` : ''}`;
      if (stream.isTTY) {
        const percent = total ? ` ${Math.floor((done / total) * 100)}%` : '';
        stream.write(`\r${what}: ${counts}${percent}   `);
        return;
      }
      const tenth = total
        ? Math.floor((done / total) * 10)
        : Math.floor(Math.log10(Math.max(1, done)));
      if (tenth !== lastTenth || phase !== lastPhase) {
        lastTenth = tenth;
        lastPhase = phase;
        stream.write(`${what}: ${counts}\n`);
      }
    },
    done() {
      if (stream.isTTY) stream.write('\n');
    },
  };
}
