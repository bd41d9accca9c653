import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  canonicalContent,
  canonicalJson,
  chainHash,
  contentHashOf,
  GENESIS_HASH,
} from './audit-chain';
import { chainedRow } from './audit.service';
import vectorFile from './audit-chain.vectors.json';

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);
const nullableText = z.string().nullable();

/** Read as data, checked as data: a vector missing a field fails here, not as `undefined`. */
const vectorsSchema = z.object({
  vectors: z
    .array(
      z.object({
        name: z.string(),
        detailsObject: z.record(z.string(), z.unknown()),
        event: z.object({
          type: z.string(),
          ts: z.number(),
          userId: nullableText,
          email: nullableText,
          ip: nullableText,
          userAgent: nullableText,
          method: nullableText,
          details: z.string(),
          source: nullableText,
        }),
        canonical: z.string(),
        canonicalUtf8Hex: z.string().regex(/^([0-9a-f]{2})+$/),
        contentHash: hex64,
        prevHash: hex64,
        chainHash: hex64,
      }),
    )
    .min(5),
});
const { vectors } = vectorsSchema.parse(vectorFile);

const sha256 = (...parts: Array<string | Buffer>) => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest('hex');
};

/** The bytes the content hash covers, cut from the canonical bytes: the array without its source. */
function withoutSource(canonical: string, source: string | null): string {
  const tail = `,${JSON.stringify(source)}]`;
  expect(canonical.endsWith(tail)).toBe(true);
  return `${canonical.slice(0, -tail.length)}]`;
}

const hasSha256sum = (() => {
  try {
    execFileSync('sha256sum', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe('audit chain known-answer vectors (audit-chain.vectors.json)', () => {
  it.each(vectors.map((v) => [v.name, v] as const))('%s', (_name, vector) => {
    const { event } = vector;
    expect(canonicalJson(vector.detailsObject)).toBe(event.details);
    expect(canonicalContent(event)).toBe(vector.canonical);
    expect(Buffer.from(vector.canonical, 'utf8').toString('hex')).toBe(vector.canonicalUtf8Hex);
    expect(contentHashOf(event)).toBe(vector.contentHash);
    expect(chainHash(vector.prevHash, event)).toBe(vector.chainHash);

    // Recomputed from the bytes alone, without the code under test.
    const bytes = Buffer.from(vector.canonicalUtf8Hex, 'hex');
    expect(sha256(vector.prevHash, '\n', bytes)).toBe(vector.chainHash);
    expect(sha256(withoutSource(vector.canonical, event.source))).toBe(vector.contentHash);

    // What the service stores is exactly this.
    const row = chainedRow(vector.prevHash, event);
    expect(row).toMatchObject({ hash: vector.chainHash, content_hash: vector.contentHash });
  });

  it('form one chain from the genesis hash', () => {
    expect(vectors[0]!.prevHash).toBe(GENESIS_HASH);
    for (let i = 1; i < vectors.length; i++)
      expect(vectors[i]!.prevHash).toBe(vectors[i - 1]!.chainHash);
  });

  it('give an imported copy of an event its own chain hash but the same content hash', () => {
    const [recorded] = vectors;
    const imported = vectors.find((v) => v.event.source !== null)!;
    expect({ ...imported.event, source: null }).toEqual(recorded!.event);
    expect(imported.contentHash).toBe(recorded!.contentHash);
    expect(imported.canonical).not.toBe(recorded!.canonical);
  });

  it.skipIf(!hasSha256sum)('agree with sha256sum for the first link', () => {
    const [first] = vectors;
    const input = Buffer.concat([
      Buffer.from(`${first!.prevHash}\n`),
      Buffer.from(first!.canonicalUtf8Hex, 'hex'),
    ]);
    const printed = execFileSync('sha256sum', { input }).toString();
    expect(printed.split(' ')[0]).toBe(first!.chainHash);
  });
});
