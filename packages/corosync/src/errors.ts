/** Stable codes carried by {@link CorosyncError}; renaming one is a breaking change. */
export type CorosyncErrorCode =
  | "INVALID_OPTIONS"
  | "INVALID_PATH"
  | "PARSE_FAILED"
  | "NODE_NOT_FOUND"
  | "NODE_EXISTS"
  | "AUTHKEY_WRITE_FAILED"
  | "READ_FAILED"
  | "WRITE_FAILED";

/** Raised when a corosync.conf operation cannot proceed; `code` says why, `cause` wraps the origin. */
export class CorosyncError extends Error {
  override readonly name = "CorosyncError";
  /** Stable machine-readable reason. */
  readonly code: CorosyncErrorCode;
  constructor(code: CorosyncErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
  }
}
