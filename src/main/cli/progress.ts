/**
 * A progress line for long CLI work: redrawn in place on a terminal, a line per tenth otherwise
 * (so logs stay short). Written to stderr, keeping stdout for results.
 */
export function terminalProgress(
  stream: NodeJS.WritableStream & { isTTY?: boolean },
  label: string,
) {
  let lastTenth = -1;
  return {
    update(done: number, total: number | null) {
      if (stream.isTTY) {
        const percent = total ? ` ${Math.floor((done / total) * 100)}%` : '';
        stream.write(
          `\r${label}: ${done.toLocaleString('en-US')}${total ? ` / ${total.toLocaleString('en-US')}` : ''}${percent}   `,
        );
        return;
      }
      const tenth = total
        ? Math.floor((done / total) * 10)
        : Math.floor(Math.log10(Math.max(1, done)));
      if (tenth !== lastTenth) {
        lastTenth = tenth;
        stream.write(
          `${label}: ${done.toLocaleString('en-US')}${total ? ` / ${total.toLocaleString('en-US')}` : ''}\n`,
        );
      }
    },
    done() {
      if (stream.isTTY) stream.write('\n');
    },
  };
}
