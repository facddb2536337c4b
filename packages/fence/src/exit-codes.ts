/**
 * Exit codes of fence agents, as fence-agents' `fencing.py` defines them (`EC_*`); Pacemaker's
 * fencer treats any non-zero status of `on`, `off` and `reboot` as a failed fencing.
 *
 * @example
 * ```ts
 * if (state === "off") return FenceExit.STATUS_OFF;
 * ```
 */
export const FenceExit = {
  /** The action succeeded (for `status`: the target is on). */
  SUCCESS: 0,
  /** A failure the agent could not classify (for `status` and `monitor`: an error). */
  GENERIC_ERROR: 1,
  /** `status` only: the target is off. */
  STATUS_OFF: 2,
  /** The agent was called with wrong or missing options (`EC_BAD_ARGS`, the same number). */
  BAD_ARGS: 2,
  /** The device refused the credentials. */
  LOGIN_DENIED: 3,
  /** The connection to the device was lost. */
  CONNECTION_LOST: 4,
  /** The device did not answer in time. */
  TIMED_OUT: 5,
  /** The target did not reach "on" within power_timeout. */
  WAITING_ON: 6,
  /** The target did not reach "off" within power_timeout. */
  WAITING_OFF: 7,
  /** The device reported a power state that is neither on nor off. */
  STATUS: 8,
  /** The credentials lack a privilege the action needs. */
  INVALID_PRIVILEGES: 11,
} as const;

/** The name of a fence exit code, e.g. `"WAITING_OFF"`. */
export type FenceExitName = keyof typeof FenceExit;

/** One of the numeric exit codes in {@link FenceExit}. */
export type FenceExitCode = (typeof FenceExit)[FenceExitName];
