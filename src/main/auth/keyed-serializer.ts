/**
 * Runs tasks that share a key one after another, in this process; tasks with other keys run
 * freely. Nothing is remembered for a key once its last task ends.
 */
export function createKeyedSerializer() {
  const tails = new Map<string, Promise<void>>();
  return async function serialized<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const tail = previous.then(() => mine);
    tails.set(key, tail);
    try {
      await previous;
      return await task();
    } finally {
      release();
      if (tails.get(key) === tail) tails.delete(key);
    }
  };
}
