/** Stable codes carried by every {@link OciVnicError}; branch on these, never on message text. */
export type OciVnicErrorCode =
  | "INVALID_PARAMETER"
  | "NOT_AUTHENTICATED"
  | "NOT_AUTHORIZED_OR_NOT_FOUND"
  | "CONFLICT"
  | "LIMIT_EXCEEDED"
  | "THROTTLED"
  | "SERVICE_UNAVAILABLE"
  | "TIMEOUT"
  | "ABORTED"
  | "METADATA_UNAVAILABLE"
  | "FEDERATION_FAILED"
  | "VNIC_NOT_FOUND"
  | "VNIC_AMBIGUOUS"
  | "SDK_UNAVAILABLE"
  | "CREDENTIALS_MISSING"
  | "UNEXPECTED";

/** Details an {@link OciVnicError} may carry for logs and support tickets (never secrets). */
export interface OciVnicErrorDetails {
  /** The `opc-request-id` of the failing OCI request, to quote to Oracle support. */
  opcRequestId?: string | undefined;
  /** HTTP status of the failing response, when there was one. */
  status?: number | undefined;
  /** OCI service error code (`body.code`), e.g. `NotAuthorizedOrNotFound`. */
  serviceCode?: string | undefined;
  /** Our name of the operation that failed, e.g. `ListPrivateIps` or `Imds`. */
  operation?: string | undefined;
  /** For `NOT_AUTHORIZED_OR_NOT_FOUND`: an IAM policy statement that grants what we need. */
  policyHint?: string | undefined;
  /** For `THROTTLED`: how long the service asked us to wait, in milliseconds. */
  retryAfterMs?: number | undefined;
  /** For `INVALID_PARAMETER` and `CREDENTIALS_MISSING`: the option at fault, e.g. `auth.path`. */
  parameter?: string | undefined;
}

/** Raised by every `@ocfkit/oci-vnic` operation; `code` is stable, `message` is for humans. */
export class OciVnicError extends Error {
  override readonly name = "OciVnicError";
  /** Stable machine-readable reason. */
  readonly code: OciVnicErrorCode;
  /** `opc-request-id` of the failing request, when the service answered. */
  readonly opcRequestId: string | undefined;
  /** HTTP status, when the service answered. */
  readonly status: number | undefined;
  /** OCI service error code, when the service answered. */
  readonly serviceCode: string | undefined;
  /** Operation that failed. */
  readonly operation: string | undefined;
  /** IAM policy statement that would fix a `NOT_AUTHORIZED_OR_NOT_FOUND`. */
  readonly policyHint: string | undefined;
  /** Delay the service asked for on `THROTTLED`, in milliseconds. */
  readonly retryAfterMs: number | undefined;
  /** The option at fault (`auth.path`, `endpoints.api`, ...), when one is. */
  readonly parameter: string | undefined;

  constructor(
    code: OciVnicErrorCode,
    message: string,
    details: OciVnicErrorDetails = {},
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.code = code;
    this.opcRequestId = details.opcRequestId;
    this.status = details.status;
    this.serviceCode = details.serviceCode;
    this.operation = details.operation;
    this.policyHint = details.policyHint;
    this.retryAfterMs = details.retryAfterMs;
    this.parameter = details.parameter;
  }
}

/** True when `value` is an {@link OciVnicError}, optionally with one of the given codes. */
export function isOciVnicError(
  value: unknown,
  ...codes: readonly OciVnicErrorCode[]
): value is OciVnicError {
  return value instanceof OciVnicError && (codes.length === 0 || codes.includes(value.code));
}

/** Builds the INVALID_PARAMETER error for a bad argument: names it, says what is allowed. */
export function invalidParameter(name: string, allowed: string, found: unknown): OciVnicError {
  return new OciVnicError(
    "INVALID_PARAMETER",
    `invalid ${name}: expected ${allowed}, got ${truncate(describe(found))}`,
    { parameter: name },
  );
}

function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** Shortens text quoted in error messages so a huge input cannot flood a log. */
export function truncate(text: string, max = 120): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
