import { isUtf8 } from 'node:buffer';

const LF = 0x0a;
const CR = 0x0d;
const EMPTY = Buffer.alloc(0);

/** A line of a file, 1-based, with its text; or why it has none (too long, not UTF-8). */
export type SplitLine =
  | { line: number; text: string }
  /** `text`, when present, is the line with each byte that is not UTF-8 written as `\xHH`. */
  | { line: number; error: string; text?: string };

/** 12,345 as people read it in a message, whatever the machine's locale. */
export function grouped(n: number): string {
  return n.toLocaleString('en-US');
}

function lineTooLong(bytes: number, limit: number): string {
  return `line is ${grouped(bytes)} bytes; the limit is ${grouped(limit)}`;
}

/**
 * Index of the first byte in [start, end) that does not begin a well-formed UTF-8 sequence
 * (Unicode 15, table 3-7: no overlong forms, no surrogates, nothing past U+10FFFF; a sequence cut
 * off by `end` is not well formed), or -1 when there is none.
 */
export function firstInvalidUtf8(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let i = start;
  while (i < end) {
    const lead = bytes[i]!;
    if (lead < 0x80) {
      i++;
      continue;
    }
    let trailing: number;
    let low = 0x80;
    let high = 0xbf;
    if (lead >= 0xc2 && lead <= 0xdf) trailing = 1;
    else if (lead >= 0xe0 && lead <= 0xef) {
      trailing = 2;
      if (lead === 0xe0) low = 0xa0;
      else if (lead === 0xed) high = 0x9f;
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      trailing = 3;
      if (lead === 0xf0) low = 0x90;
      else if (lead === 0xf4) high = 0x8f;
    } else return i;
    if (i + trailing >= end) return i;
    const second = bytes[i + 1]!;
    if (second < low || second > high) return i;
    for (let k = 2; k <= trailing; k++) if ((bytes[i + k]! & 0xc0) !== 0x80) return i;
    i += trailing + 1;
  }
  return -1;
}

function hex(byte: number): string {
  return byte.toString(16).toUpperCase().padStart(2, '0');
}

/** Why a line is not UTF-8: its first bad byte and that byte's 1-based column (in bytes). */
function notUtf8(byte: number, column: number): string {
  return `not valid UTF-8 (byte 0x${hex(byte)} at column ${grouped(column)})`;
}

/**
 * The bytes with each one that does not begin a well-formed sequence written as `\xHH`: text
 * that shows where the bad bytes were and what they were, for messages and the rejected file.
 */
function escapeInvalidUtf8(bytes: Uint8Array, start = 0, end = bytes.length): Buffer {
  const parts: Buffer[] = [];
  let from = start;
  for (;;) {
    const bad = firstInvalidUtf8(bytes, from, end);
    if (bad === -1) break;
    parts.push(Buffer.from(bytes.buffer, bytes.byteOffset + from, bad - from));
    parts.push(Buffer.from(`\\x${hex(bytes[bad]!)}`, 'latin1'));
    from = bad + 1;
  }
  parts.push(Buffer.from(bytes.buffer, bytes.byteOffset + from, end - from));
  return Buffer.concat(parts);
}

/**
 * Splits a byte stream into lines (LF, CRLF or a lone CR ends one, as editors count them) without
 * ever holding more than `maxLineBytes` of a line: a longer one is skipped to its end, counting
 * its bytes, and comes out as an error naming it. Each line is checked to be UTF-8 (a bad one
 * comes out as an error too, never with U+FFFD silently in its place). Feed it chunks with
 * `push`, then call `end`; both answer the lines completed so far, in order.
 */
export class LineSplitter {
  private line = 0;
  /** The start of a line that began in an earlier chunk (its bytes, at most maxLineBytes). */
  private parts: Buffer[] = [];
  private partBytes = 0;
  /** Bytes of an over-long line being skipped, or -1. */
  private skipped = -1;
  /** The last chunk ended with CR: an LF starting the next one belongs to it. */
  private pendingCr = false;

  constructor(private readonly maxLineBytes: number) {}

  push(chunk: Buffer): SplitLine[] {
    const lines: SplitLine[] = [];
    const length = chunk.length;
    let pos = 0;
    if (this.pendingCr) {
      this.pendingCr = false;
      if (length > 0 && chunk[0] === LF) pos = 1;
    }
    // Where the next LF and CR are (-1: none left in this chunk): each chunk is searched once for
    // each, however many lines it holds.
    let nextLf = -2;
    let nextCr = -2;
    while (pos < length) {
      if (nextLf !== -1 && nextLf < pos) nextLf = chunk.indexOf(LF, pos);
      if (nextCr !== -1 && nextCr < pos) nextCr = chunk.indexOf(CR, pos);
      const end = nextLf === -1 ? nextCr : nextCr === -1 ? nextLf : Math.min(nextLf, nextCr);
      if (end === -1) {
        this.carry(chunk, pos, length);
        break;
      }
      lines.push(this.finish(chunk, pos, end));
      if (chunk[end] === CR) {
        if (end + 1 === length) this.pendingCr = true;
        pos = end + 1 < length && chunk[end + 1] === LF ? end + 2 : end + 1;
      } else pos = end + 1;
    }
    return lines;
  }

  /** The last line, when the input does not end with a line break. */
  end(): SplitLine[] {
    if (this.partBytes === 0 && this.skipped < 0) return [];
    return [this.finish(EMPTY, 0, 0)];
  }

  private carry(chunk: Buffer, start: number, end: number) {
    const n = end - start;
    if (this.skipped >= 0) this.skipped += n;
    else if (this.partBytes + n > this.maxLineBytes) {
      this.skipped = this.partBytes + n;
      this.parts = [];
      this.partBytes = 0;
    } else {
      this.parts.push(chunk.subarray(start, end));
      this.partBytes += n;
    }
  }

  private finish(chunk: Buffer, start: number, end: number): SplitLine {
    const line = ++this.line;
    let bytes = chunk;
    if (this.skipped >= 0 || this.partBytes + (end - start) > this.maxLineBytes) {
      const total = Math.max(this.skipped, this.partBytes) + (end - start);
      this.skipped = -1;
      this.parts = [];
      this.partBytes = 0;
      return { line, error: lineTooLong(total, this.maxLineBytes) };
    }
    if (this.partBytes > 0) {
      this.parts.push(chunk.subarray(start, end));
      bytes = Buffer.concat(this.parts, this.partBytes + (end - start));
      start = 0;
      end = bytes.length;
      this.parts = [];
      this.partBytes = 0;
    }
    // The fast check first (native, whole line); the byte-by-byte search only for a bad line.
    if (isUtf8(bytes.subarray(start, end)))
      return { line, text: bytes.toString('utf8', start, end) };
    const bad = firstInvalidUtf8(bytes, start, end);
    return {
      line,
      error: notUtf8(bytes[bad]!, bad - start + 1),
      text: escapeInvalidUtf8(bytes, start, end).toString('utf8'),
    };
  }
}

/** A line of a file that is not UTF-8: where, and what its first bad byte is. */
export interface BadUtf8Line {
  line: number;
  problem: string;
}

/**
 * Checks a byte stream that another parser reads (CSV, whose records may span lines) for UTF-8,
 * line by line, as the bytes pass: `check` answers the chunk to hand on, with each byte that is
 * not UTF-8 written as `\xHH` (never U+FFFD, so nothing of the file silently changes), and keeps
 * the lines that had such bytes in `badLines`, the first bad byte of each named. A sequence cut
 * by a chunk's end is held back until the next chunk completes it.
 */
export class Utf8LineCheck {
  readonly badLines: BadUtf8Line[] = [];
  /** The line the next byte is on, and how many bytes of it came before. */
  private line = 1;
  private column = 0;
  private lastWasCr = false;
  private held: Buffer | null = null;
  private flaggedLine = 0;

  check(chunk: Buffer): Buffer {
    let data = chunk;
    if (this.held) {
      data = Buffer.concat([this.held, chunk]);
      this.held = null;
    }
    const complete = completeLength(data);
    if (complete < data.length) {
      this.held = Buffer.from(data.subarray(complete));
      data = data.subarray(0, complete);
    }
    if (isUtf8(data)) {
      this.advance(data);
      return data;
    }
    const out: Buffer[] = [];
    let from = 0;
    for (;;) {
      const bad = firstInvalidUtf8(data, from, data.length);
      if (bad === -1) break;
      this.advance(data.subarray(from, bad));
      this.flag(data[bad]!);
      out.push(data.subarray(from, bad), Buffer.from(`\\x${hex(data[bad]!)}`, 'latin1'));
      from = bad + 1;
    }
    this.advance(data.subarray(from));
    out.push(data.subarray(from));
    return Buffer.concat(out);
  }

  /** What is still held back at the end of the input: a sequence the file ends in the middle of. */
  end(): Buffer {
    const held = this.held;
    this.held = null;
    if (!held) return EMPTY;
    this.flag(held[0]!);
    return escapeInvalidUtf8(held);
  }

  private flag(byte: number) {
    this.column++;
    this.lastWasCr = false;
    if (this.flaggedLine === this.line) return;
    this.flaggedLine = this.line;
    this.badLines.push({ line: this.line, problem: notUtf8(byte, this.column) });
  }

  /** Moves the position over valid bytes, counting line breaks as the splitter does. */
  private advance(bytes: Buffer) {
    const length = bytes.length;
    let pos = 0;
    if (this.lastWasCr && length > 0) {
      this.lastWasCr = false;
      if (bytes[0] === LF) pos = 1;
    }
    let nextLf = -2;
    let nextCr = -2;
    while (pos < length) {
      if (nextLf !== -1 && nextLf < pos) nextLf = bytes.indexOf(LF, pos);
      if (nextCr !== -1 && nextCr < pos) nextCr = bytes.indexOf(CR, pos);
      const end = nextLf === -1 ? nextCr : nextCr === -1 ? nextLf : Math.min(nextLf, nextCr);
      if (end === -1) {
        this.column += length - pos;
        return;
      }
      this.line++;
      this.column = 0;
      if (bytes[end] === CR) {
        if (end + 1 === length) this.lastWasCr = true;
        pos = end + 1 < length && bytes[end + 1] === LF ? end + 2 : end + 1;
      } else pos = end + 1;
    }
  }
}

/** How much of the bytes ends on a sequence boundary: all but a multi-byte sequence cut short. */
function completeLength(bytes: Buffer): number {
  const length = bytes.length;
  for (let back = 1; back <= Math.min(3, length); back++) {
    const byte = bytes[length - back]!;
    if ((byte & 0xc0) === 0x80) continue;
    if (byte < 0xc0) return length;
    const sequence = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : 2;
    return sequence > back ? length - back : length;
  }
  return length;
}
