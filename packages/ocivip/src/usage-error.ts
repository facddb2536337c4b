/**
 * A command line or option value that cannot be used (unknown option, missing or bad value):
 * nothing was done; the CLI exits 2. A TypeError, as bad arguments to a function are.
 */
export class UsageError extends TypeError {
  /** Always `"USAGE"`. */
  readonly code = "USAGE";
}
