import { DeadlineError } from "./errors.js";

/** The point in time an action must have answered by, with an AbortSignal that fires then. */
export interface Deadline {
  /** Epoch milliseconds at which the action must be done. */
  readonly at: number;
  /** The total budget in milliseconds (Pacemaker's timeout minus the safety margin). */
  readonly budgetMs: number;
  /** Aborted when the deadline passes (reason: a {@link DeadlineError}). */
  readonly signal: AbortSignal;
  /** Milliseconds left, never negative. */
  remainingMs(): number;
  /** Whether the deadline has passed. */
  expired(): boolean;
}

/** Options of {@link createDeadline}. */
export interface DeadlineOptions {
  /** The operation's timeout (Pacemaker's `CRM_meta_timeout`), in milliseconds. */
  readonly timeoutMs: number;
  /** Milliseconds kept in reserve so the agent answers before Pacemaker kills it; see {@link safetyMarginMs}. */
  readonly marginMs?: number;
  /** Clock, for tests. */
  readonly now?: () => number;
}

/**
 * The longest timeout honoured: what a Node.js timer can wait (2^31 - 1 ms, about 24.8 days). A
 * longer `CRM_meta_timeout` is clamped to it, since a timer past it fires at once.
 */
export const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/** Smallest and largest reserve between our deadline and Pacemaker's. */
const MIN_MARGIN_MS = 500;
const MAX_MARGIN_MS = 5_000;

/** The default safety margin for a timeout: 10 %, at least 0.5 s, at most 5 s, never over half. */
export function safetyMarginMs(timeoutMs: number): number {
  const margin = Math.min(Math.max(timeoutMs * 0.1, MIN_MARGIN_MS), MAX_MARGIN_MS);
  return Math.min(margin, timeoutMs / 2);
}

/**
 * Creates a deadline `timeoutMs - margin` from now (`timeoutMs` clamped to {@link MAX_TIMEOUT_MS}). The signal's timer is unref'd, so it never
 * keeps the process alive on its own.
 */
export function createDeadline(options: DeadlineOptions): Deadline {
  const now = options.now ?? Date.now;
  const timeoutMs = Number.isNaN(options.timeoutMs)
    ? 0
    : Math.min(options.timeoutMs, MAX_TIMEOUT_MS);
  const budgetMs = Math.max(0, timeoutMs - (options.marginMs ?? safetyMarginMs(timeoutMs)));
  const at = now() + budgetMs;
  // Created on first use: AbortController and its timer cost a cold start that never needs them.
  let controller: AbortController | undefined;
  const signal = (): AbortSignal => {
    if (!controller) {
      const created = new AbortController();
      controller = created;
      const abort = (): void =>
        created.abort(new DeadlineError(`deadline of ${budgetMs} ms passed`));
      const left = at - now();
      if (left <= 0) abort();
      else setTimeout(abort, left).unref();
    }
    return controller.signal;
  };
  return {
    at,
    budgetMs,
    get signal() {
      return signal();
    },
    remainingMs: () => Math.max(0, at - now()),
    expired: () => now() >= at,
  };
}
