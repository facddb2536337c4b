// One queue per key for the whole process: two instances for the same namespace share it.
const tails = new Map<string, Promise<unknown>>();

/** Runs `task` after every earlier task with the same key has settled (in-process mutual exclusion). */
export async function withKeyLock<T>(key: string, task: () => Promise<T>): Promise<T> {
  const previous = tails.get(key) ?? Promise.resolve();
  const run = previous.then(task, task);
  const tail = run.then(
    () => undefined,
    () => undefined,
  );
  tails.set(key, tail);
  try {
    return await run;
  } finally {
    if (tails.get(key) === tail) tails.delete(key);
  }
}
