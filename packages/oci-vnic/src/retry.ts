import { type Deadline, sleep } from "./deadline.js";
import type { AttemptRecord, Classified, Transience } from "./error-map.js";

/** How requests are retried; every wait also stops at the operation's deadline. */
export interface RetryPolicy {
  /** Attempts per request, including the first (>= 1). */
  maxAttempts: number;
  /** First backoff delay in milliseconds; doubles per attempt, with jitter. */
  baseDelayMs: number;
  /** Largest backoff delay in milliseconds (a longer `Retry-After` is still honoured). */
  maxDelayMs: number;
  /** Longest a single attempt may take before it is abandoned (and retried when safe). */
  attemptTimeoutMs: number;
}

/** Defaults: 4 attempts, 250 ms doubling to at most 4 s, 10 s per attempt. */
export const defaultRetryPolicy: RetryPolicy = {
  maxAttempts: 4,
  baseDelayMs: 250,
  maxDelayMs: 4000,
  attemptTimeoutMs: 10_000,
};

/** Retry policy of metadata requests: the service is local, so short attempts. */
export const defaultImdsRetryPolicy: RetryPolicy = {
  maxAttempts: 3,
  baseDelayMs: 100,
  maxDelayMs: 1000,
  attemptTimeoutMs: 3000,
};

/** Backoff before retry number `retry` (0-based): exponential, capped, equal jitter. */
export function backoffDelay(policy: RetryPolicy, retry: number, random = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}

/** Reads may retry whatever is transient; writes only what the service surely did not act on. */
export function retryableFor(kind: "read" | "write"): (t: Transience) => boolean {
  return kind === "read" ? (t) => t !== "none" : (t) => t === "rejected";
}

/** Arguments of {@link runWithRetries}. */
export interface RetryRun<T> {
  operation: string;
  deadline: Deadline;
  policy: RetryPolicy;
  retryWhen: (transience: Transience) => boolean;
  attempt: (signal: AbortSignal, record: AttemptRecord) => Promise<T>;
  classify: (thrown: unknown, record: AttemptRecord) => Classified;
  random?: () => number;
  onRetry?: (failure: Classified, delayMs: number) => void;
}

/** Runs one request with retries and backoff, never waiting past the deadline. */
export async function runWithRetries<T>(run: RetryRun<T>): Promise<T> {
  const { deadline, operation, policy } = run;
  for (let attemptNo = 0; ; attemptNo++) {
    deadline.check(operation);
    const record: AttemptRecord = {};
    const signal = deadline.attemptSignal(policy.attemptTimeoutMs);
    try {
      return await run.attempt(signal, record);
    } catch (thrown) {
      if (signal.aborted && !deadline.signal?.aborted && deadline.remaining() > 0) {
        record.attemptTimedOut = true;
      }
      const failure = run.classify(thrown, record);
      const last = attemptNo + 1 >= policy.maxAttempts;
      if (last || !run.retryWhen(failure.transience)) throw failure.error;
      const delay = failure.retryAfterMs ?? backoffDelay(policy, attemptNo, run.random);
      // Never sleep past the deadline: report the real failure now instead of a later TIMEOUT.
      if (delay >= deadline.remaining()) throw failure.error;
      run.onRetry?.(failure, delay);
      await sleep(delay, deadline, operation);
    }
  }
}
