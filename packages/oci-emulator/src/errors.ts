/** Stable codes of {@link EmulatorError}; branch on these, never on the message. */
export type EmulatorErrorCode =
  | "SCENARIO_INVALID"
  | "SCENARIO_READ_FAILED"
  | "HOST_NOT_LOOPBACK"
  | "STATE_FILE_FAILED"
  | "STATE_INVALID"
  | "FAULT_INVALID"
  | "CONFIG_WRITE_FAILED"
  | "OPTION_INVALID";

/** Raised by the emulator's library API when a scenario, option or state cannot be used. */
export class EmulatorError extends Error {
  override readonly name = "EmulatorError";
  /** Stable machine-readable code. */
  readonly code: EmulatorErrorCode;
  constructor(code: EmulatorErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
  }
}
