/** Requests made so far, by operation name (`ListPrivateIps`, `Imds`, `Federation`, ...). */
export type RequestCounts = Record<string, number>;

/** Counts every request a client makes, so callers and benchmarks can see the cost. */
export interface RequestCounters {
  /** Adds one request for `operation`. */
  increment(operation: string): void;
  /** A copy of the counts so far. */
  snapshot(): RequestCounts;
  /** Sum of all counts. */
  total(): number;
  /** Back to zero. */
  reset(): void;
}

/** Creates an empty {@link RequestCounters}. */
export function createRequestCounters(): RequestCounters {
  let counts = new Map<string, number>();
  return {
    increment(operation) {
      counts.set(operation, (counts.get(operation) ?? 0) + 1);
    },
    snapshot() {
      return Object.fromEntries(counts);
    },
    total() {
      let sum = 0;
      for (const n of counts.values()) sum += n;
      return sum;
    },
    reset() {
      counts = new Map();
    },
  };
}
