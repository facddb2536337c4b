import type { Deadline } from "./deadline.js";
import { DeadlineError } from "./errors.js";

/** Options of {@link retry}. */
export interface RetryOptions {
  /** The action's deadline: no attempt starts, and no wait ends, after it. */
  readonly deadline: Deadline;
  /** Maximum number of attempts (default: unlimited, bounded by the deadline). */
  readonly attempts?: number;
  /** Delay before the second attempt, in ms (default 250). */
  readonly initialDelayMs?: number;
  /** Upper bound of one delay, in ms (default 5000). */
  readonly maxDelayMs?: number;
  /** Growth factor of the delay (default 2). */
  readonly factor?: number;
  /** Whether an error is worth another attempt (default: every error). */
  readonly retryIf?: (error: unknown, attempt: number) => boolean;
  /** Called before each wait, e.g. to log the failure. */
  readonly onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
  /** Random source in [0, 1), for tests. */
  readonly random?: () => number;
}

/** What {@link retry} passes to each attempt. */
export interface RetryAttempt {
  /** 1 for the first attempt. */
  readonly attempt: number;
  /** The deadline's signal: pass it to I/O so it stops when time is up. */
  readonly signal: AbortSignal;
}

/**
 * Runs `fn` until it succeeds, waiting between attempts with exponential backoff and full jitter,
 * and never past the deadline: when the next wait would end after it, the last error is thrown.
 *
 * @example
 * ```ts
 * const ip = await retry(({ signal }) => client.getPrivateIp(id, { signal }), { deadline: ctx.deadline });
 * ```
 */
export async function retry<T>(
  fn: (attempt: RetryAttempt) => Promise<T> | T,
  options: RetryOptions,
): Promise<T> {
  const { deadline } = options;
  const maxAttempts = options.attempts ?? Number.POSITIVE_INFINITY;
  const initial = options.initialDelayMs ?? 250;
  const maxDelay = options.maxDelayMs ?? 5_000;
  const factor = options.factor ?? 2;
  const random = options.random ?? Math.random;
  for (let attempt = 1; ; attempt++) {
    if (deadline.expired()) {
      throw new DeadlineError(`deadline passed before attempt ${attempt}`);
    }
    try {
      return await fn({ attempt, signal: deadline.signal });
    } catch (error) {
      if (attempt >= maxAttempts || (options.retryIf && !options.retryIf(error, attempt)))
        throw error;
      const ceiling = Math.min(maxDelay, initial * factor ** (attempt - 1));
      const delayMs = Math.round(ceiling * random());
      if (delayMs >= deadline.remainingMs()) throw error;
      options.onRetry?.(error, attempt, delayMs);
      await sleep(delayMs, deadline.signal);
    }
  }
}

/** Waits `ms` milliseconds, rejecting early with the signal's reason if it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
