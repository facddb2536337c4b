import { OcfExit, type OcfExitCode } from "./exit-codes.js";

/** Stable codes of {@link OcfError}; each maps to one OCF exit code in {@link ocfErrorExitCodes}. */
export type OcfErrorCode =
  | "ERR_GENERIC"
  | "ERR_ARGS"
  | "ERR_UNIMPLEMENTED"
  | "ERR_PERM"
  | "ERR_INSTALLED"
  | "ERR_CONFIGURED"
  | "NOT_RUNNING"
  | "FAILED_PROMOTED"
  | "DEADLINE_EXCEEDED";

/** The one table that turns an error code into the exit status the agent process ends with. */
export const ocfErrorExitCodes: Readonly<Record<OcfErrorCode, OcfExitCode>> = {
  ERR_GENERIC: OcfExit.ERR_GENERIC,
  ERR_ARGS: OcfExit.ERR_ARGS,
  ERR_UNIMPLEMENTED: OcfExit.ERR_UNIMPLEMENTED,
  ERR_PERM: OcfExit.ERR_PERM,
  ERR_INSTALLED: OcfExit.ERR_INSTALLED,
  ERR_CONFIGURED: OcfExit.ERR_CONFIGURED,
  NOT_RUNNING: OcfExit.NOT_RUNNING,
  FAILED_PROMOTED: OcfExit.FAILED_PROMOTED,
  // Running out of time is a generic failure: Pacemaker may retry, or recover on another node.
  DEADLINE_EXCEEDED: OcfExit.ERR_GENERIC,
};

/**
 * An error that ends an OCF action: its `exitCode` is what the agent exits with and its message
 * becomes the `ocf-exit-reason:` line.
 *
 * @example
 * ```ts
 * throw new OcfError("ERR_CONFIGURED", "ip: expected an IPv4 address, got \"x\"");
 * ```
 */
export class OcfError extends Error {
  override readonly name: string = "OcfError";
  /** Stable machine-readable code; branch on this, not on the message. */
  readonly code: OcfErrorCode;
  /** The OCF exit status this error ends the action with. */
  readonly exitCode: OcfExitCode;
  /** Creates an error with a code from {@link OcfErrorCode} and a one-line reason. */
  constructor(code: OcfErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
    this.exitCode = ocfErrorExitCodes[code];
  }
}

/** The resource's parameters are invalid (exit 6, `OCF_ERR_CONFIGURED`): no node will retry it. */
export class ConfigurationError extends OcfError {
  override readonly name = "ConfigurationError";
  /** Creates a configuration error; name the parameter and what is allowed in the message. */
  constructor(message: string, options?: ErrorOptions) {
    super("ERR_CONFIGURED", message, options);
  }
}

/** Something the agent needs is not installed on this node (exit 5, `OCF_ERR_INSTALLED`). */
export class InstallationError extends OcfError {
  override readonly name = "InstallationError";
  /** Creates an installation error naming the missing tool or file. */
  constructor(message: string, options?: ErrorOptions) {
    super("ERR_INSTALLED", message, options);
  }
}

/** The agent lacks a privilege it needs (exit 4, `OCF_ERR_PERM`). */
export class PermissionError extends OcfError {
  override readonly name = "PermissionError";
  /** Creates a permission error naming what was denied. */
  constructor(message: string, options?: ErrorOptions) {
    super("ERR_PERM", message, options);
  }
}

/** A failure the agent cannot classify further (exit 1, `OCF_ERR_GENERIC`). */
export class GenericError extends OcfError {
  override readonly name = "GenericError";
  /** Creates a generic error; wrap the original failure as `{ cause }`. */
  constructor(message: string, options?: ErrorOptions) {
    super("ERR_GENERIC", message, options);
  }
}

/** The resource is not running (exit 7, `OCF_NOT_RUNNING`); for monitor, a clean stop. */
export class NotRunningError extends OcfError {
  override readonly name = "NotRunningError";
  /** Creates a not-running result with the reason (e.g. which check found it stopped). */
  constructor(message: string, options?: ErrorOptions) {
    super("NOT_RUNNING", message, options);
  }
}

/** The action is not implemented (exit 3, `OCF_ERR_UNIMPLEMENTED`). */
export class UnimplementedError extends OcfError {
  override readonly name = "UnimplementedError";
  /** Creates an unimplemented-action error naming the action. */
  constructor(message: string, options?: ErrorOptions) {
    super("ERR_UNIMPLEMENTED", message, options);
  }
}

/** The agent was called with wrong arguments (exit 2, `OCF_ERR_ARGS`). */
export class ArgumentsError extends OcfError {
  override readonly name = "ArgumentsError";
  /** Creates an arguments error describing the expected usage. */
  constructor(message: string, options?: ErrorOptions) {
    super("ERR_ARGS", message, options);
  }
}

/** The action ran out of the time Pacemaker gave it (exit 1, code `DEADLINE_EXCEEDED`). */
export class DeadlineError extends OcfError {
  override readonly name = "DeadlineError";
  /** Creates a deadline error naming what was still pending. */
  constructor(message: string, options?: ErrorOptions) {
    super("DEADLINE_EXCEEDED", message, options);
  }
}

/** The outcome an uncaught value turns into: exit status plus the one-line exit reason. */
export interface ErrorOutcome {
  /** Exit status to end the process with. */
  readonly exitCode: OcfExitCode;
  /** One-line reason for the `ocf-exit-reason:` line. */
  readonly reason: string;
}

/**
 * Maps anything thrown by an action to its OCF outcome: an {@link OcfError} keeps its exit code,
 * anything else is `ERR_GENERIC` with the error's message.
 */
export function errorToOutcome(error: unknown): ErrorOutcome {
  if (error instanceof OcfError)
    return { exitCode: error.exitCode, reason: oneLine(error.message) };
  const message = error instanceof Error ? error.message : String(error);
  return { exitCode: OcfExit.ERR_GENERIC, reason: oneLine(`unexpected error: ${message}`) };
}

function oneLine(text: string): string {
  const flat = text.replace(/\s*\n\s*/g, "; ").trim();
  return flat.length > 0 ? flat : "no reason given";
}
