/** Stable codes of {@link E2eError}; callers branch on these, never on message text. */
export type E2eErrorCode =
  | "COMMAND_FAILED"
  | "COMMAND_TIMEOUT"
  | "BAD_OPTION"
  | "UNSAFE_ENDPOINT"
  | "NODE_START_FAILED"
  | "NODE_NOT_RUNNING"
  | "CLUSTER_TIMEOUT"
  | "BAD_CRM_MON_OUTPUT"
  | "SCENARIO_FAILED"
  | "TORN_DOWN";

/** Raised by the cluster harness: a tool failed, a wait timed out, or an option was refused. */
export class E2eError extends Error {
  override readonly name = "E2eError";
  readonly code: E2eErrorCode;
  constructor(code: E2eErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
  }
}
