import { invalidParameter, OciVnicError } from "./errors.js";

/** Per-call options every operation accepts. */
export interface CallOptions {
  /** Aborts the operation (error code `ABORTED`). */
  signal?: AbortSignal | undefined;
  /** Absolute deadline (epoch milliseconds or a Date); past it the operation fails with `TIMEOUT`. */
  deadline?: number | Date | undefined;
  /** Relative deadline in milliseconds from the call; the earlier of this and `deadline` wins. */
  timeoutMs?: number | undefined;
}

/** The deadline and abort signal of one operation, shared by all its requests. */
export interface Deadline {
  /** Absolute deadline, epoch milliseconds. */
  readonly at: number;
  /** Caller's signal, if any. */
  readonly signal: AbortSignal | undefined;
  /** Milliseconds left (0 when past). */
  remaining(): number;
  /** Throws TIMEOUT or ABORTED when the operation must stop now. */
  check(operation: string): void;
  /** A signal that fires on caller abort, at the deadline, or after `capMs`, whichever is first. */
  attemptSignal(capMs: number): AbortSignal;
  /** The error to throw for an interrupted operation: ABORTED, TIMEOUT, or undefined if neither. */
  interruption(operation: string, cause?: unknown): OciVnicError | undefined;
}

/** Builds the {@link Deadline} of one call from its options and the client's default timeout. */
export function createDeadline(
  options: CallOptions | undefined,
  defaultTimeoutMs: number,
  now: () => number = Date.now,
): Deadline {
  const start = now();
  let at = start + defaultTimeoutMs;
  if (options?.timeoutMs !== undefined) {
    if (!Number.isFinite(options.timeoutMs) || options.timeoutMs < 0) {
      throw invalidParameter(
        "timeoutMs",
        "a finite number of milliseconds >= 0",
        options.timeoutMs,
      );
    }
    at = start + options.timeoutMs;
  }
  if (options?.deadline !== undefined) {
    const d = options.deadline instanceof Date ? options.deadline.getTime() : options.deadline;
    if (typeof d !== "number" || !Number.isFinite(d)) {
      throw invalidParameter("deadline", "epoch milliseconds or a valid Date", options.deadline);
    }
    at = options.timeoutMs === undefined ? d : Math.min(at, d);
  }
  const signal = options?.signal;
  const remaining = (): number => Math.max(0, at - now());
  const interruption = (operation: string, cause?: unknown): OciVnicError | undefined => {
    if (signal?.aborted) {
      return new OciVnicError(
        "ABORTED",
        `${operation} aborted by the caller`,
        { operation },
        {
          cause: cause ?? signal.reason,
        },
      );
    }
    if (remaining() <= 0) {
      const budget = at - start;
      return new OciVnicError(
        "TIMEOUT",
        `${operation} did not finish within its deadline (${budget} ms)`,
        { operation },
        cause === undefined ? undefined : { cause },
      );
    }
    return undefined;
  };
  return {
    at,
    signal,
    remaining,
    check(operation) {
      const err = interruption(operation);
      if (err) throw err;
    },
    attemptSignal(capMs) {
      const timeout = AbortSignal.timeout(Math.max(1, Math.min(capMs, remaining())));
      return signal ? AbortSignal.any([signal, timeout]) : timeout;
    },
    interruption,
  };
}

/**
 * The same deadline with one more way to stop: `abandon` firing ends its requests as ABORTED.
 * For requests run side by side, so that once one of them has failed the others stop too.
 */
export function withAbandon(deadline: Deadline, abandon: AbortSignal): Deadline {
  const signal = deadline.signal ? AbortSignal.any([deadline.signal, abandon]) : abandon;
  const interruption = (operation: string, cause?: unknown): OciVnicError | undefined =>
    deadline.interruption(operation, cause) ??
    (abandon.aborted
      ? new OciVnicError(
          "ABORTED",
          `${operation} abandoned: a request run beside it failed`,
          { operation },
          { cause: cause ?? abandon.reason },
        )
      : undefined);
  return {
    at: deadline.at,
    signal,
    remaining: () => deadline.remaining(),
    check(operation) {
      const err = interruption(operation);
      if (err) throw err;
    },
    attemptSignal: (capMs) => AbortSignal.any([deadline.attemptSignal(capMs), abandon]),
    interruption,
  };
}

/**
 * Runs `tasks` side by side under one deadline, like `Promise.all`, but the first failure also
 * stops the others: no request of a call that has already failed stays in flight or retries.
 */
export async function allOrAbandon<T extends readonly unknown[]>(
  deadline: Deadline,
  tasks: { readonly [K in keyof T]: (deadline: Deadline) => Promise<T[K]> },
): Promise<T> {
  const controller = new AbortController();
  const shared = withAbandon(deadline, controller.signal);
  const running = (tasks as readonly ((d: Deadline) => Promise<unknown>)[]).map((task) =>
    task(shared).catch((error: unknown) => {
      controller.abort(error);
      throw error;
    }),
  );
  return (await Promise.all(running)) as unknown as T;
}

/** Waits `ms`, or rejects early with ABORTED/TIMEOUT when the deadline cannot wait that long. */
export function sleep(ms: number, deadline: Deadline, operation: string): Promise<void> {
  deadline.check(operation);
  if (ms >= deadline.remaining()) {
    return Promise.reject(
      new OciVnicError("TIMEOUT", `${operation} cannot wait ${ms} ms before its deadline`, {
        operation,
      }),
    );
  }
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(deadline.interruption(operation));
    };
    const timer = setTimeout(() => {
      deadline.signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    deadline.signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** Races `promise` against the deadline, for work the SDK cannot abort (federation). */
export function raceDeadline<T>(
  promise: Promise<T>,
  deadline: Deadline,
  operation: string,
): Promise<T> {
  // `promise` is already running: it must get a handler even when we give up at once.
  promise.catch(() => undefined);
  const late = deadline.interruption(operation);
  if (late) return Promise.reject(late);
  return new Promise<T>((resolve, reject) => {
    const finish = (): void => {
      clearTimeout(timer);
      deadline.signal?.removeEventListener("abort", onAbort);
    };
    const onAbort = (): void => {
      finish();
      reject(deadline.interruption(operation));
    };
    const timer = setTimeout(() => {
      finish();
      reject(
        deadline.interruption(operation) ??
          new OciVnicError("TIMEOUT", `${operation} did not finish within its deadline`, {
            operation,
          }),
      );
    }, deadline.remaining());
    deadline.signal?.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        finish();
        resolve(value);
      },
      (error: unknown) => {
        finish();
        reject(error);
      },
    );
  });
}
