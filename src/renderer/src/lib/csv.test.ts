import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { toCsv } from './csv';

describe('toCsv', () => {
  it('round-trips commas, quotes, line breaks and non-ASCII text', () => {
    const rows = [
      ['ada@acme.test', 'Lovelace, Ada', 'says "hi"'],
      ['zoë@acme.test', 'two\nlines', ''],
    ];
    expect(parse(toCsv(['email', 'name', 'note'], rows))).toEqual([
      ['email', 'name', 'note'],
      ...rows,
    ]);
  });

  it('makes formula-looking cells inert text, keeping every character, but not the header', () => {
    const cells = ['=HYPERLINK("http://evil")', '+1', '-2', '@x', 'plain'];
    const parsed = parse(
      toCsv(
        ['=header'],
        cells.map((cell) => [cell]),
      ),
    ) as string[][];
    expect(parsed[0]).toEqual(['=header']);
    expect(parsed.slice(1).map(([cell]) => cell)).toEqual([
      '\'=HYPERLINK("http://evil")',
      "'+1",
      "'-2",
      "'@x",
      'plain',
    ]);
  });

  it('writes only the header when there are no rows', () => {
    expect(toCsv(['a', 'b'], [])).toBe('a,b\n');
  });
});
