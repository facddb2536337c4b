/**
 * OCF exit codes, as defined by the OCF Resource Agent API 1.1 ("Return codes") plus Pacemaker's
 * degraded states 190 and 191.
 *
 * @example
 * ```ts
 * if (!running) return OcfExit.NOT_RUNNING;
 * ```
 */
export const OcfExit = {
  /** The action succeeded (for monitor: the resource is running). */
  SUCCESS: 0,
  /** A generic error the agent could not classify; Pacemaker may retry or recover elsewhere. */
  ERR_GENERIC: 1,
  /** The agent was invoked with wrong arguments. */
  ERR_ARGS: 2,
  /** The requested action is not implemented by this agent. */
  ERR_UNIMPLEMENTED: 3,
  /** The agent lacks the privileges to perform the action. */
  ERR_PERM: 4,
  /** A tool or library the agent needs is missing on this node. */
  ERR_INSTALLED: 5,
  /** The resource's configuration is invalid; Pacemaker will not retry it anywhere. */
  ERR_CONFIGURED: 6,
  /** The resource is cleanly stopped. */
  NOT_RUNNING: 7,
  /** The resource is running in the promoted role. */
  RUNNING_PROMOTED: 8,
  /** The resource failed in the promoted role. */
  FAILED_PROMOTED: 9,
  /** The resource is running but degraded (Pacemaker extension). */
  DEGRADED: 190,
  /** The resource is promoted but degraded (Pacemaker extension). */
  DEGRADED_PROMOTED: 191,
} as const;

/** The name of an OCF exit code, e.g. `"NOT_RUNNING"`. */
export type OcfExitName = keyof typeof OcfExit;

/** One of the numeric OCF exit codes in {@link OcfExit}. */
export type OcfExitCode = (typeof OcfExit)[OcfExitName];

const namesByCode = new Map<number, OcfExitName>(
  Object.entries(OcfExit).map(([name, code]) => [code, name as OcfExitName]),
);

/** Returns the name of an OCF exit code (`7` → `"NOT_RUNNING"`), or `undefined` if unknown. */
export function ocfExitName(code: number): OcfExitName | undefined {
  return namesByCode.get(code);
}

/** Whether `code` is one of the exit codes OCF 1.1 and Pacemaker define. */
export function isOcfExitCode(code: unknown): code is OcfExitCode {
  return typeof code === "number" && namesByCode.has(code);
}
