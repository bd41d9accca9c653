import { isUtf8 } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { firstInvalidUtf8, LineSplitter, Utf8LineCheck, type SplitLine } from './line-splitter';

/** Every line the splitter makes of `bytes` fed in chunks of `size` bytes. */
function split(bytes: Buffer, size: number, maxLineBytes = 64): SplitLine[] {
  const splitter = new LineSplitter(maxLineBytes);
  const lines: SplitLine[] = [];
  for (let start = 0; start < bytes.length; start += size)
    lines.push(...splitter.push(bytes.subarray(start, start + size)));
  lines.push(...splitter.end());
  return lines;
}

const every = (bytes: Buffer, maxLineBytes?: number) =>
  Array.from({ length: bytes.length + 1 }, (_, i) => split(bytes, i + 1, maxLineBytes));

describe('LineSplitter', () => {
  it('ends lines at LF, CRLF and a lone CR, however the bytes are chunked', () => {
    const bytes = Buffer.from('one\ntwo\r\nthree\rfour\r\r\nsix\n\nlast');
    const expected = ['one', 'two', 'three', 'four', '', 'six', '', 'last'].map((text, i) => ({
      line: i + 1,
      text,
    }));
    for (const lines of every(bytes)) expect(lines).toEqual(expected);
    // A final line break ends the last line; it starts no empty one.
    expect(split(Buffer.from('a\r\n'), 2)).toEqual([{ line: 1, text: 'a' }]);
    expect(split(Buffer.from('a\r'), 1)).toEqual([{ line: 1, text: 'a' }]);
  });

  it('skips a line longer than the limit to its end, counting its bytes, and reads on', () => {
    const bytes = Buffer.from(`short\n${'x'.repeat(100)}\r\nafter\n${'y'.repeat(65)}`);
    for (const lines of every(bytes)) {
      expect(lines).toEqual([
        { line: 1, text: 'short' },
        { line: 2, error: 'line is 100 bytes; the limit is 64' },
        { line: 3, text: 'after' },
        { line: 4, error: 'line is 65 bytes; the limit is 64' },
      ]);
    }
    // Exactly the limit is a line.
    expect(split(Buffer.from('z'.repeat(64)), 7)).toEqual([{ line: 1, text: 'z'.repeat(64) }]);
  });

  it('holds no more of an endless line than the limit', () => {
    const splitter = new LineSplitter(1024);
    const chunk = Buffer.alloc(1 << 20, 0x61);
    for (let i = 0; i < 50; i++) expect(splitter.push(chunk)).toEqual([]);
    // What it keeps is a count, not the bytes: nothing grows with the line.
    expect(JSON.stringify(splitter).length).toBeLessThan(200);
    expect(splitter.end()).toEqual([
      { line: 1, error: `line is ${(50 << 20).toLocaleString('en-US')} bytes; the limit is 1,024` },
    ]);
  });

  it('names a line that is not UTF-8 by its first bad byte and column, showing bad bytes as \\xHH', () => {
    const bytes = Buffer.concat([
      Buffer.from('caf\u00e9 ok\n'),
      Buffer.from([0x61, 0x62, 0xc3, 0x28, 0x0a]),
      Buffer.from([0xed, 0xa0, 0x80, 0x0a]), // a surrogate, encoded: not UTF-8
      Buffer.from('\u{1F600}\n'),
      Buffer.from([0x78, 0xf0, 0x9f, 0x98]), // cut short by the end of the file
    ]);
    for (const lines of every(bytes)) {
      expect(lines).toEqual([
        { line: 1, text: 'café ok' },
        { line: 2, error: 'not valid UTF-8 (byte 0xC3 at column 3)', text: 'ab\\xC3(' },
        { line: 3, error: 'not valid UTF-8 (byte 0xED at column 1)', text: '\\xED\\xA0\\x80' },
        { line: 4, text: '\u{1F600}' },
        { line: 5, error: 'not valid UTF-8 (byte 0xF0 at column 2)', text: 'x\\xF0\\x9F\\x98' },
      ]);
    }
  });
});

describe('firstInvalidUtf8', () => {
  it('agrees with the native check on random and near-UTF-8 bytes', () => {
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const near = [0x41, 0x80, 0xbf, 0xc0, 0xc2, 0xdf, 0xe0, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff];
    for (let run = 0; run < 20_000; run++) {
      const bytes = Buffer.from(
        Array.from({ length: 1 + Math.floor(random() * 8) }, () =>
          random() < 0.7 ? near[Math.floor(random() * near.length)]! : Math.floor(random() * 256),
        ),
      );
      expect(firstInvalidUtf8(bytes) === -1, bytes.toString('hex')).toBe(isUtf8(bytes));
    }
  });
});

describe('Utf8LineCheck', () => {
  it('passes UTF-8 through, writes bad bytes as \\xHH and names each bad line once, whatever the chunks', () => {
    const bytes = Buffer.concat([
      Buffer.from('h\u00e9ader\r\n'),
      Buffer.from([0x22, 0x61, 0x0d, 0x62, 0xff, 0xfe, 0x22, 0x0a]),
      Buffer.from('\u20ac ok\n'),
      Buffer.from([0x7a, 0xe2, 0x82]),
    ]);
    for (let size = 1; size <= bytes.length; size++) {
      const check = new Utf8LineCheck();
      const out: Buffer[] = [];
      for (let start = 0; start < bytes.length; start += size)
        out.push(check.check(bytes.subarray(start, start + size)));
      out.push(check.end());
      expect(Buffer.concat(out).toString()).toBe(
        'h\u00e9ader\r\n"a\rb\\xFF\\xFE"\n\u20ac ok\nz\\xE2\\x82',
      );
      expect(check.badLines).toEqual([
        { line: 3, problem: 'not valid UTF-8 (byte 0xFF at column 2)' },
        { line: 5, problem: 'not valid UTF-8 (byte 0xE2 at column 2)' },
      ]);
    }
  });
});
