import { FenceExit, type FenceExitCode } from "./exit-codes.js";

/** Stable codes of {@link FenceError}; each maps to one exit code in {@link fenceErrorExitCodes}. */
export type FenceErrorCode =
  | "GENERIC_ERROR"
  | "BAD_ARGS"
  | "LOGIN_DENIED"
  | "CONNECTION_LOST"
  | "TIMED_OUT"
  | "WAITING_ON"
  | "WAITING_OFF"
  | "BAD_STATUS"
  | "INVALID_PRIVILEGES"
  | "UNKNOWN_PLUG"
  | "UNSUPPORTED_ACTION";

/** The one table that turns an error code into the exit status the agent process ends with. */
export const fenceErrorExitCodes: Readonly<Record<FenceErrorCode, FenceExitCode>> = {
  GENERIC_ERROR: FenceExit.GENERIC_ERROR,
  BAD_ARGS: FenceExit.BAD_ARGS,
  LOGIN_DENIED: FenceExit.LOGIN_DENIED,
  CONNECTION_LOST: FenceExit.CONNECTION_LOST,
  TIMED_OUT: FenceExit.TIMED_OUT,
  WAITING_ON: FenceExit.WAITING_ON,
  WAITING_OFF: FenceExit.WAITING_OFF,
  BAD_STATUS: FenceExit.STATUS,
  INVALID_PRIVILEGES: FenceExit.INVALID_PRIVILEGES,
  // A plug the device does not know is a failed action, never "off": fencing it did not happen.
  UNKNOWN_PLUG: FenceExit.GENERIC_ERROR,
  UNSUPPORTED_ACTION: FenceExit.BAD_ARGS,
};

/**
 * An error that ends a fence action: its `exitCode` is what the agent exits with, its message is
 * logged to stderr as the reason.
 *
 * @example
 * ```ts
 * throw new FenceError("BAD_ARGS", 'option "plug": required for action "off"');
 * ```
 */
export class FenceError extends Error {
  override readonly name = "FenceError";
  /** Stable machine-readable code; branch on this, not on the message. */
  readonly code: FenceErrorCode;
  /** The exit status this error ends the agent with. */
  readonly exitCode: FenceExitCode;
  /** Creates an error with a code from {@link FenceErrorCode} and a one-line reason. */
  constructor(code: FenceErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
    this.exitCode = fenceErrorExitCodes[code];
  }
}

/** Whether `error` is a {@link FenceError}, optionally with the given code. */
export function isFenceError(error: unknown, code?: FenceErrorCode): error is FenceError {
  return error instanceof FenceError && (code === undefined || error.code === code);
}

/** Shows a value in an error message: quoted, truncated, control characters escaped. */
export function quoteValue(value: unknown, max = 80): string {
  const text = typeof value === "string" ? value : String(value);
  const cut = text.length > max ? `${text.slice(0, max)}…` : text;
  return JSON.stringify(cut);
}
