import { describe, expect, it } from 'vitest';
import { createKeyedSerializer } from './keyed-serializer';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('keyed serializer', () => {
  it('runs tasks of one key one at a time, in arrival order, and other keys alongside', async () => {
    const serialized = createKeyedSerializer();
    const log: string[] = [];
    let running = 0;
    let most = 0;
    const task = (key: string, name: string) =>
      serialized(key, async () => {
        running += key === 'a' ? 1 : 0;
        most = Math.max(most, running);
        log.push(`start ${name}`);
        await tick();
        await tick();
        log.push(`end ${name}`);
        running -= key === 'a' ? 1 : 0;
        return name;
      });
    const results = await Promise.all([task('a', 'a1'), task('b', 'b1'), task('a', 'a2')]);
    expect(results).toEqual(['a1', 'b1', 'a2']);
    expect(most).toBe(1);
    expect(log.indexOf('end a1')).toBeLessThan(log.indexOf('start a2'));
    // b1 did not wait for a1.
    expect(log.indexOf('start b1')).toBeLessThan(log.indexOf('end a1'));
  });

  it('goes on with the next task when one fails', async () => {
    const serialized = createKeyedSerializer();
    const failing = serialized('k', () => Promise.reject(new Error('boom')));
    const next = serialized('k', () => Promise.resolve('next'));
    await expect(failing).rejects.toThrow('boom');
    await expect(next).resolves.toBe('next');
  });
});
